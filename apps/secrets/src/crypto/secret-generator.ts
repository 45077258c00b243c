import { randomInt } from 'node:crypto';

export const ALPHANUMERIC_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `!` to `~`. The space is left out: it is easily lost to trimming or quoting. */
export const ASCII_PRINTABLE_ALPHABET = String.fromCharCode(...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => 0x21 + i));
export const HEX_ALPHABET = '0123456789abcdef';
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export const SECRET_ALPHABETS = {
  alphanumeric: ALPHANUMERIC_ALPHABET,
  'ascii-printable': ASCII_PRINTABLE_ALPHABET,
  hex: HEX_ALPHABET,
  base64url: BASE64URL_ALPHABET,
} as const;

export type SecretAlphabet = keyof typeof SECRET_ALPHABETS;

export const MIN_SECRET_LENGTH = 8;
export const MAX_SECRET_LENGTH = 4096;

export interface GenerateSecretOptions {
  length?: number;
  alphabet?: SecretAlphabet;
}

/**
 * A random secret of `length` characters drawn uniformly from the alphabet. `randomInt` rejects
 * out-of-range draws instead of taking a modulo, so no character is likelier than another.
 */
export function generateSecret({ length = 32, alphabet = 'alphanumeric' }: GenerateSecretOptions = {}): string {
  if (!Number.isInteger(length) || length < MIN_SECRET_LENGTH || length > MAX_SECRET_LENGTH) {
    throw new RangeError(`a secret must be ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters long`);
  }
  // The type already says so; this guards callers that pass an unchecked string.
  if (!Object.hasOwn(SECRET_ALPHABETS, alphabet)) throw new RangeError('unknown secret alphabet');
  const characters = SECRET_ALPHABETS[alphabet];
  return Array.from({ length }, () => characters[randomInt(characters.length)]).join('');
}
