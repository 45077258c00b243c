import { webcrypto } from 'node:crypto';
import { randomIdempotencyKey } from './idempotency-key';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomIdempotencyKey', () => {
  it('uses randomUUID where the context has it', () => {
    expect(randomIdempotencyKey({ getRandomValues: () => new Uint8Array(16), randomUUID: () => 'from-random-uuid' })).toBe(
      'from-random-uuid',
    );
  });

  it('builds a version 4 UUID from getRandomValues where randomUUID is missing (a browser over plain http)', () => {
    const insecure = { getRandomValues: (array: Uint8Array) => webcrypto.getRandomValues(array) };
    const keys = Array.from({ length: 200 }, () => randomIdempotencyKey(insecure));
    for (const key of keys) expect(key).toMatch(UUID_V4);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('sets the version and variant bits whatever the random bytes', () => {
    const allOnes = { getRandomValues: (array: Uint8Array) => array.fill(0xff) };
    expect(randomIdempotencyKey(allOnes)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    const allZeros = { getRandomValues: (array: Uint8Array) => array };
    expect(randomIdempotencyKey(allZeros)).toBe('00000000-0000-4000-8000-000000000000');
  });
});
