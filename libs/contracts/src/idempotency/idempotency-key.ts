/**
 * The `Idempotency-Key` request header of the IETF httpapi draft: a write sent again with the same key
 * (by the same principal, to the same route, with the same body) answers the first outcome again.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer that repeats a first outcome instead of applying the request again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// A bare key: visible ASCII without the characters that delimit structured fields.
const BARE_KEY = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;
// The draft's form, a Structured Field String (RFC 8941 §3.3.3): printable ASCII, `\"` and `\\` escaped.
const QUOTED_KEY = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/** The key a header value names, or why it names none: 1 to 255 characters, quoted or bare. */
export function parseIdempotencyKey(header: string): { key: string } | { problem: string } {
  const quoted = QUOTED_KEY.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE_KEY.test(header) ? header : null;
  if (key === null) return { problem: 'Idempotency-Key must be a quoted string or a token of visible ASCII characters' };
  if (key.length === 0) return { problem: 'Idempotency-Key must not be empty' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { problem: `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
  }
  return { key };
}
