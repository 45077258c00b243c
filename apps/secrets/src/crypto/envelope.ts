import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './crypto-errors';
import { MasterKeyring } from './master-keyring';

/**
 * Envelope encryption with AES-256-GCM: each namespace's values are sealed under a data key, and the data
 * key is stored wrapped under a master key. Every ciphertext is bound through its AAD to where it belongs,
 * so a ciphertext copied to another row fails to decrypt instead of yielding another row's value.
 */

export const DATA_KEY_BYTES = 32;
const CIPHER = 'aes-256-gcm';
// Random 96-bit IVs are safe for up to 2^32 encryptions under one key (NIST SP 800-38D, 8.3);
// a data key per namespace stays far below that.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAPPED_DATA_KEY_BYTES = IV_BYTES + DATA_KEY_BYTES + TAG_BYTES;
/** First byte of a sealed value, so the format can change without guessing what old rows hold. */
const SEALED_VALUE_FORMAT_V1 = 0x01;
const VALUE_AAD_LABEL = 'kv-value:v1';

/** A data key as stored: which master key wrapped it, and `iv || ciphertext || tag`. */
export interface WrappedDataKey {
  masterKeyId: string;
  wrapped: Buffer;
}

/** Where a value lives. A sealed value decrypts only with the same binding it was sealed with. */
export interface ValueBinding {
  namespaceId: string;
  keyPath: string;
  version: number;
}

export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** Wraps a data key under the active master key, bound to its namespace. */
export function wrapDataKey(keyring: MasterKeyring, dataKey: Buffer, namespaceId: string): WrappedDataKey {
  assertDataKey(dataKey);
  const masterKeyId = keyring.activeKeyId;
  const wrapped = seal(keyring.key(masterKeyId), dataKey, dataKeyAad(namespaceId));
  return { masterKeyId, wrapped };
}

/**
 * Unwraps with the master key the wrapped key names.
 * Throws `KeyUnavailableError` when that key is not configured and `DecryptionError` when the wrapped
 * key is malformed, tampered with or belongs to another namespace.
 */
export function unwrapDataKey(keyring: MasterKeyring, wrappedDataKey: WrappedDataKey, namespaceId: string): Buffer {
  const masterKey = keyring.key(wrappedDataKey.masterKeyId);
  if (wrappedDataKey.wrapped.length !== WRAPPED_DATA_KEY_BYTES) throw new DecryptionError();
  return open(masterKey, wrappedDataKey.wrapped, dataKeyAad(namespaceId));
}

/** Re-wraps a data key under the active master key, so an old master key can be retired online. */
export function rewrapDataKey(keyring: MasterKeyring, wrappedDataKey: WrappedDataKey, namespaceId: string): WrappedDataKey {
  const dataKey = unwrapDataKey(keyring, wrappedDataKey, namespaceId);
  try {
    return wrapDataKey(keyring, dataKey, namespaceId);
  } finally {
    dataKey.fill(0);
  }
}

/** Seals a value as `format || iv || ciphertext || tag`, with a fresh random IV on every call. */
export function encryptValue(dataKey: Buffer, plaintext: Buffer, binding: ValueBinding): Buffer {
  assertDataKey(dataKey);
  const sealed = seal(dataKey, plaintext, valueAad(binding));
  return Buffer.concat([Buffer.of(SEALED_VALUE_FORMAT_V1), sealed]);
}

/** Opens a sealed value. Throws `DecryptionError` when it is malformed, tampered with or moved to another row. */
export function decryptValue(dataKey: Buffer, sealed: Buffer, binding: ValueBinding): Buffer {
  assertDataKey(dataKey);
  const aad = valueAad(binding);
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEALED_VALUE_FORMAT_V1) {
    throw new DecryptionError();
  }
  return open(dataKey, sealed.subarray(1), aad);
}

function assertDataKey(dataKey: Buffer): void {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError(`a data key must be ${DATA_KEY_BYTES} bytes`);
}

function dataKeyAad(namespaceId: string): Buffer {
  return wellFormedUtf8(`kv-dek:v1:${namespaceId}`);
}

/**
 * Each field is length-prefixed, so no two bindings share an encoding: (`a/b`, `c`) and (`a`, `b/c`)
 * differ, as do namespace ids or key paths that contain any separator one might have chosen.
 */
function valueAad(binding: ValueBinding): Buffer {
  if (!Number.isSafeInteger(binding.version) || binding.version < 0) {
    throw new RangeError('a value version must be a non-negative integer');
  }
  const fields = [VALUE_AAD_LABEL, binding.namespaceId, binding.keyPath, String(binding.version)];
  return Buffer.concat(fields.map(lengthPrefixed));
}

function lengthPrefixed(field: string): Buffer {
  const bytes = wellFormedUtf8(field);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

// Lone surrogates all encode to U+FFFD, which would let two different strings share one binding.
function wellFormedUtf8(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.toString('utf8') !== text) throw new TypeError('a binding must be well-formed Unicode');
  return bytes;
}

/** `iv || ciphertext || tag` */
function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  // GCM returns all plaintext from update(); final() only checks the tag.
  const plaintext = decipher.update(ciphertext);
  try {
    decipher.final();
  } catch {
    // Unauthenticated plaintext must not survive, not even in memory.
    plaintext.fill(0);
    throw new DecryptionError();
  }
  return plaintext;
}
