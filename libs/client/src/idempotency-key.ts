/** The part of Web Crypto a fresh idempotency key needs. */
export interface KeyRandomness {
  getRandomValues(array: Uint8Array): Uint8Array;
  randomUUID?: () => string;
}

/**
 * A random UUID (v4) for a write's Idempotency-Key. Browsers offer `crypto.randomUUID` only in secure contexts (https or
 * localhost), so a console served over plain http elsewhere builds one from `getRandomValues`, which every context has.
 */
export function randomIdempotencyKey(randomness: KeyRandomness = globalThis.crypto): string {
  if (typeof randomness.randomUUID === 'function') return randomness.randomUUID();
  const bytes = randomness.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
