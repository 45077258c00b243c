// The characters of base64url without padding (RFC 7515 §2: JWS parts are base64url, padding omitted).
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// The last character of a part whose length is 2 or 3 mod 4 carries 4 or 2 unused low bits; canonical
// encoders leave them zero, so only these characters may end such a part.
const LAST_OF_TWO = /[AQgw]$/;
const LAST_OF_THREE = /[AEIMQUYcgkosw048]$/;

function isCanonicalBase64Url(part: string): boolean {
  if (!BASE64URL.test(part)) return false;
  switch (part.length % 4) {
    case 1:
      return false;
    case 2:
      return LAST_OF_TWO.test(part);
    case 3:
      return LAST_OF_THREE.test(part);
    default:
      return true;
  }
}

/**
 * Whether a token is a compact JWS in exactly one spelling: three non-empty parts of canonical base64url.
 * jose decodes leniently (padding, the `+`/`/` alphabet, stray low bits), so one signed token would
 * otherwise be accepted in several spellings, each a different string to caches and logs.
 */
export function isCanonicalCompactJws(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every(isCanonicalBase64Url);
}
