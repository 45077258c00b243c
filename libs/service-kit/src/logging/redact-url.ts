// Query parameters that carry credentials by name (OAuth's access_token, an api_key, a signature...).
const CREDENTIAL_PARAMETER = /token|jwt|auth|secret|passw|api[-_]?key|session|signature|credential/i;
// A JWT (three base64url parts, the first a JSON object's encoding), wherever it stands in the URL.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const REDACTED = '[redacted]';

/**
 * A request URL as the request log may show it: the value of any credential-like query parameter, and
 * anything shaped like a JWT, replaced. A token sent in a query string is refused, but would otherwise
 * stay in the log as a usable credential.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (queryStart === -1) return redactJwtLike(path);
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && CREDENTIAL_PARAMETER.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return redactJwtLike(`${path}?${query}`);
}

/** Any text with whatever is shaped like a JWT replaced. */
export function redactJwtLike(text: string): string {
  return text.replace(JWT_LIKE, REDACTED);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
