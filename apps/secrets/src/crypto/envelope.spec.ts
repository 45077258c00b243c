import { DecryptionError, KeyUnavailableError } from './crypto-errors';
import {
  DATA_KEY_BYTES,
  decryptValue,
  encryptValue,
  generateDataKey,
  rewrapDataKey,
  unwrapDataKey,
  ValueBinding,
  WrappedDataKey,
  wrapDataKey,
} from './envelope';
import { MasterKeyring } from './master-keyring';

const NAMESPACE_A = '6f1c2a7e-0000-4000-8000-00000000000a';
const NAMESPACE_B = '6f1c2a7e-0000-4000-8000-00000000000b';

function keyring(activeKeyId: string, ...ids: string[]): MasterKeyring {
  const allIds = [activeKeyId, ...ids];
  return new MasterKeyring(activeKeyId, new Map(allIds.map((id) => [id, Buffer.alloc(32, `master:${id}`)])));
}

function flipBit(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] ^= 0x01;
  return copy;
}

describe('data keys', () => {
  const ring = keyring('k1');

  it('generates fresh 32-byte data keys', () => {
    const key = generateDataKey();
    expect(key).toHaveLength(DATA_KEY_BYTES);
    expect(key.equals(generateDataKey())).toBe(false);
  });

  it('round-trips a data key through wrap and unwrap', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(ring, dataKey, NAMESPACE_A);
    expect(wrapped.masterKeyId).toBe('k1');
    expect(wrapped.wrapped).toHaveLength(12 + 32 + 16);
    expect(unwrapDataKey(ring, wrapped, NAMESPACE_A).equals(dataKey)).toBe(true);
  });

  it('never stores the data key in the clear', () => {
    const dataKey = generateDataKey();
    expect(wrapDataKey(ring, dataKey, NAMESPACE_A).wrapped.includes(dataKey.subarray(0, 8))).toBe(false);
  });

  it('uses a fresh IV for every wrap', () => {
    const dataKey = generateDataKey();
    const first = wrapDataKey(ring, dataKey, NAMESPACE_A).wrapped;
    const second = wrapDataKey(ring, dataKey, NAMESPACE_A).wrapped;
    expect(first.subarray(0, 12).equals(second.subarray(0, 12))).toBe(false);
    expect(first.equals(second)).toBe(false);
  });

  it('wraps under the active master key', () => {
    const rotated = keyring('k2', 'k1');
    expect(wrapDataKey(rotated, generateDataKey(), NAMESPACE_A).masterKeyId).toBe('k2');
  });

  it('a data key wrapped for namespace A cannot be unwrapped as namespace B', () => {
    const wrapped = wrapDataKey(ring, generateDataKey(), NAMESPACE_A);
    expect(() => unwrapDataKey(ring, wrapped, NAMESPACE_B)).toThrow(DecryptionError);
  });

  it('throws KeyUnavailableError for an unknown master key id', () => {
    const wrapped = wrapDataKey(ring, generateDataKey(), NAMESPACE_A);
    const unknown: WrappedDataKey = { ...wrapped, masterKeyId: 'retired' };
    expect(() => unwrapDataKey(ring, unknown, NAMESPACE_A)).toThrow(KeyUnavailableError);
    expect(() => unwrapDataKey(keyring('k9'), wrapped, NAMESPACE_A)).toThrow(KeyUnavailableError);
  });

  it('fails with DecryptionError when the named master key is the wrong one', () => {
    const wrapped = wrapDataKey(keyring('k1', 'k2'), generateDataKey(), NAMESPACE_A);
    expect(() => unwrapDataKey(keyring('k1', 'k2'), { ...wrapped, masterKeyId: 'k2' }, NAMESPACE_A)).toThrow(DecryptionError);
  });

  it.each([
    ['iv', 0],
    ['ciphertext', 12 + 5],
    ['tag', 12 + 32 + 15],
  ])('a flipped bit in the wrapped key %s fails to unwrap', (_, index) => {
    const wrapped = wrapDataKey(ring, generateDataKey(), NAMESPACE_A);
    const tampered = { ...wrapped, wrapped: flipBit(wrapped.wrapped, index) };
    expect(() => unwrapDataKey(ring, tampered, NAMESPACE_A)).toThrow(DecryptionError);
  });

  it.each([0, 28, 59, 61])('rejects a wrapped key of %i bytes', (length) =>
    expect(() => unwrapDataKey(ring, { masterKeyId: 'k1', wrapped: Buffer.alloc(length) }, NAMESPACE_A)).toThrow(DecryptionError),
  );

  it.each([16, 31, 33])('refuses to wrap a data key of %i bytes', (length) =>
    expect(() => wrapDataKey(ring, Buffer.alloc(length), NAMESPACE_A)).toThrow(RangeError),
  );

  describe('master key rotation', () => {
    it('rewraps under a new active key, then unwraps with a keyring that no longer has the old key', () => {
      const dataKey = generateDataKey();
      const underOldKey = wrapDataKey(keyring('old'), dataKey, NAMESPACE_A);

      const duringRotation = keyring('new', 'old');
      const underNewKey = rewrapDataKey(duringRotation, underOldKey, NAMESPACE_A);
      expect(underNewKey.masterKeyId).toBe('new');

      const afterRotation = keyring('new');
      expect(afterRotation.has('old')).toBe(false);
      expect(unwrapDataKey(afterRotation, underNewKey, NAMESPACE_A).equals(dataKey)).toBe(true);
      expect(() => unwrapDataKey(afterRotation, underOldKey, NAMESPACE_A)).toThrow(KeyUnavailableError);
    });

    it('keeps values readable across a rewrap, since the data key itself does not change', () => {
      const dataKey = generateDataKey();
      const binding = { namespaceId: NAMESPACE_A, keyPath: 'db/password', version: 1 };
      const sealed = encryptValue(dataKey, Buffer.from('hunter2'), binding);
      const rewrapped = rewrapDataKey(keyring('new', 'old'), wrapDataKey(keyring('old'), dataKey, NAMESPACE_A), NAMESPACE_A);
      const unwrapped = unwrapDataKey(keyring('new'), rewrapped, NAMESPACE_A);
      expect(decryptValue(unwrapped, sealed, binding).toString()).toBe('hunter2');
    });

    it('cannot move a data key to another namespace while rewrapping', () => {
      const wrapped = wrapDataKey(keyring('old'), generateDataKey(), NAMESPACE_A);
      expect(() => rewrapDataKey(keyring('new', 'old'), wrapped, NAMESPACE_B)).toThrow(DecryptionError);
    });
  });
});

describe('values', () => {
  const dataKey = generateDataKey();
  const binding: ValueBinding = { namespaceId: NAMESPACE_A, keyPath: 'config/database/password', version: 3 };
  const plaintext = Buffer.from('correct horse battery staple');

  it.each([0, 1, 15, 16, 17, 1000, 70_000])('round-trips a value of %i bytes', (length) => {
    const value = Buffer.alloc(length, 'v');
    expect(decryptValue(dataKey, encryptValue(dataKey, value, binding), binding).equals(value)).toBe(true);
  });

  it('seals as format byte 0x01 || iv(12) || ciphertext || tag(16)', () => {
    const sealed = encryptValue(dataKey, plaintext, binding);
    expect(sealed[0]).toBe(0x01);
    expect(sealed).toHaveLength(1 + 12 + plaintext.length + 16);
    expect(sealed.includes(plaintext)).toBe(false);
  });

  it('uses a fresh IV every encryption: the same plaintext twice gives different ciphertext', () => {
    const first = encryptValue(dataKey, plaintext, binding);
    const second = encryptValue(dataKey, plaintext, binding);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
    expect(first.subarray(13).equals(second.subarray(13))).toBe(false);
  });

  describe('a ciphertext is bound to its row', () => {
    const sealed = encryptValue(dataKey, plaintext, binding);

    it('a ciphertext copied onto another key path fails to decrypt', () =>
      expect(() => decryptValue(dataKey, sealed, { ...binding, keyPath: 'config/database/user' })).toThrow(DecryptionError));

    it('a ciphertext copied into another namespace fails to decrypt', () =>
      expect(() => decryptValue(dataKey, sealed, { ...binding, namespaceId: NAMESPACE_B })).toThrow(DecryptionError));

    it('a ciphertext copied onto another version fails to decrypt', () =>
      expect(() => decryptValue(dataKey, sealed, { ...binding, version: 2 })).toThrow(DecryptionError));

    it('cannot be re-bound by moving characters between fields', () => {
      const split = { namespaceId: 'ns', keyPath: 'a/b', version: 1 };
      const moved = { namespaceId: 'ns', keyPath: 'a', version: 1 };
      const sealedSplit = encryptValue(dataKey, plaintext, split);
      expect(() => decryptValue(dataKey, sealedSplit, moved)).toThrow(DecryptionError);
      const shifted = encryptValue(dataKey, plaintext, { namespaceId: 'ns:a', keyPath: 'b', version: 1 });
      expect(() => decryptValue(dataKey, shifted, { namespaceId: 'ns', keyPath: 'a:b', version: 1 })).toThrow(DecryptionError);
    });

    it('fails to decrypt under another data key', () =>
      expect(() => decryptValue(generateDataKey(), sealed, binding)).toThrow(DecryptionError));
  });

  describe('tampering', () => {
    const sealed = encryptValue(dataKey, plaintext, binding);
    it.each([
      ['iv', 1],
      ['ciphertext', 13],
      ['last ciphertext byte', sealed.length - 17],
      ['tag', sealed.length - 1],
    ])('a flipped bit in the %s fails to decrypt', (_, index) =>
      expect(() => decryptValue(dataKey, flipBit(sealed, index), binding)).toThrow(DecryptionError),
    );

    it('a truncated ciphertext fails to decrypt', () =>
      expect(() => decryptValue(dataKey, sealed.subarray(0, sealed.length - 1), binding)).toThrow(DecryptionError));

    it.each([0x00, 0x02, 0xff])('an unknown format byte (%i) fails to decrypt', (format) => {
      const other = Buffer.from(sealed);
      other[0] = format;
      expect(() => decryptValue(dataKey, other, binding)).toThrow(DecryptionError);
    });

    it.each([0, 1, 28])('a buffer of %i bytes is too short to decrypt', (length) =>
      expect(() => decryptValue(dataKey, Buffer.alloc(length, 1), binding)).toThrow(DecryptionError),
    );
  });

  it('rejects a binding with a version that is not a non-negative integer', () => {
    for (const version of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => encryptValue(dataKey, plaintext, { ...binding, version })).toThrow(RangeError);
    }
  });

  it('rejects a binding with a lone surrogate, which UTF-8 could not tell apart from another', () =>
    expect(() => encryptValue(dataKey, plaintext, { ...binding, keyPath: 'a\ud800' })).toThrow(TypeError));

  it('refuses a data key that is not 32 bytes', () => expect(() => encryptValue(Buffer.alloc(16), plaintext, binding)).toThrow(RangeError));
});

describe('errors', () => {
  it('never include plaintext, key material or ciphertext', () => {
    const ring = keyring('k1');
    const dataKey = generateDataKey();
    const binding = { namespaceId: NAMESPACE_A, keyPath: 'k', version: 1 };
    const secret = Buffer.from('planted-plaintext-3f9a');
    const sealed = encryptValue(dataKey, secret, binding);
    const wrapped = wrapDataKey(ring, dataKey, NAMESPACE_A);

    const errors: unknown[] = [];
    const capture = (action: () => unknown): void => {
      try {
        action();
      } catch (error) {
        errors.push(error);
      }
    };
    capture(() => decryptValue(dataKey, sealed, { ...binding, version: 2 }));
    capture(() => decryptValue(dataKey, flipBit(sealed, 20), binding));
    capture(() => unwrapDataKey(ring, wrapped, NAMESPACE_B));
    capture(() => unwrapDataKey(keyring('k2'), wrapped, NAMESPACE_A));
    expect(errors).toHaveLength(4);

    const forbidden = [secret, dataKey, ring.key('k1'), sealed.subarray(13, 25), wrapped.wrapped.subarray(12, 24)];
    for (const error of errors as Error[]) {
      expect(['decryption failed', 'master key is not available']).toContain(error.message);
      const shown = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
      for (const material of forbidden) {
        for (const encoding of ['utf8', 'hex', 'base64'] as const) {
          expect(shown).not.toContain(material.toString(encoding));
        }
      }
    }
  });

  it('KeyUnavailableError names the missing master key id', () => {
    const wrapped = wrapDataKey(keyring('k1'), generateDataKey(), NAMESPACE_A);
    try {
      unwrapDataKey(keyring('k2'), wrapped, NAMESPACE_A);
      throw new Error('expected unwrap to fail');
    } catch (error) {
      expect(error).toBeInstanceOf(KeyUnavailableError);
      expect((error as KeyUnavailableError).masterKeyId).toBe('k1');
    }
  });
});
