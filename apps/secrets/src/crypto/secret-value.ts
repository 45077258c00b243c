import { ValueBinding, decryptValue, encryptValue } from './envelope';

/**
 * A value as it is sealed: its JSON text, so that every value type (a string, a number, an object)
 * comes back exactly as it went in.
 */
export function sealSecretValue(dataKey: Buffer, value: unknown, binding: ValueBinding): Buffer {
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  try {
    return encryptValue(dataKey, plaintext, binding);
  } finally {
    plaintext.fill(0);
  }
}

/** Opens a sealed value; throws `DecryptionError` when it does not belong to `binding` or was altered. */
export function openSecretValue(dataKey: Buffer, sealed: Buffer, binding: ValueBinding): unknown {
  const plaintext = decryptValue(dataKey, sealed, binding);
  try {
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  } finally {
    plaintext.fill(0);
  }
}
