import { EntryWrite, ErrorCode, KvException, Limits, ValueType } from '@app/contracts';
import { assertValidBulkWrite, assertValidKey, assertValidKeyList, assertValidWrite } from './entry-checks';

function caught(work: () => void): KvException {
  try {
    work();
  } catch (error) {
    if (error instanceof KvException) return error;
    throw error;
  }
  throw new Error('expected a KvException');
}

const write = (overrides: Partial<EntryWrite> = {}): EntryWrite => ({ value: 'v', valueType: ValueType.STRING, ...overrides });

describe('assertValidKey', () => {
  it('accepts a valid key path', () => expect(() => assertValidKey('config/db/host')).not.toThrow());
  it('answers INVALID_KEY with the problem as the message', () => {
    const error = caught(() => assertValidKey('a//b'));
    expect(error.code).toBe(ErrorCode.INVALID_KEY);
    expect(error.message).toBe('key must not contain an empty segment ("//")');
  });
  it('prefixes the label', () => expect(caught(() => assertValidKey('', 'keys[3]')).message).toBe('keys[3]: key must not be empty'));
});

describe('assertValidWrite', () => {
  it('accepts a value of its type', () =>
    expect(() => assertValidWrite(write({ value: 42, valueType: ValueType.NUMBER }), 1024)).not.toThrow());

  it('answers INVALID_VALUE when the value does not match its type, without quoting it', () => {
    const error = caught(() => assertValidWrite(write({ value: 'planted-secret-9', valueType: ValueType.NUMBER }), 1024));
    expect(error.code).toBe(ErrorCode.INVALID_VALUE);
    expect(error.message).not.toContain('planted-secret-9');
  });

  it('answers VALUE_TOO_LARGE past the byte limit, counting UTF-8 bytes of the JSON encoding', () => {
    // 'é' is 2 bytes; with the quotes the JSON is 2 * 10 + 2 = 22 bytes.
    expect(() => assertValidWrite(write({ value: 'é'.repeat(10) }), 22)).not.toThrow();
    const error = caught(() => assertValidWrite(write({ value: 'é'.repeat(10) }), 21));
    expect(error.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(error.message).not.toContain('é');
  });

  it('answers VALIDATION_FAILED for oversized metadata', () => {
    const metadata = { note: 'x'.repeat(Limits.MAX_METADATA_BYTES) };
    expect(caught(() => assertValidWrite(write({ metadata }), 1024)).code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('accepts metadata at the limit', () => {
    const metadata = { n: 'x'.repeat(Limits.MAX_METADATA_BYTES - '{"n":""}'.length) };
    expect(() => assertValidWrite(write({ metadata }), 1024)).not.toThrow();
  });

  it('checks the type before the size', () => {
    expect(caught(() => assertValidWrite(write({ value: 'x'.repeat(100), valueType: ValueType.BOOLEAN }), 10)).code).toBe(
      ErrorCode.INVALID_VALUE,
    );
  });
});

describe('the text rule on writes', () => {
  it.each([['a\u0000b'], ['lone \ud800'], [['ok', 'x\udfff']], [{ nested: { deep: '\u0000' } }], [{ 'k\ud83d': 1 }]])(
    'makes a value holding %j INVALID_VALUE, and the same as metadata too',
    (bad) => {
      const asValue = caught(() =>
        assertValidWrite(write({ value: bad, valueType: typeof bad === 'string' ? ValueType.STRING : ValueType.JSON }), 1024),
      );
      expect(asValue.code).toBe(ErrorCode.INVALID_VALUE);
      const asMetadata = caught(() => assertValidWrite(write({ metadata: { m: bad } }), 1024));
      expect(asMetadata.code).toBe(ErrorCode.INVALID_VALUE);
      expect(asMetadata.message).toContain('metadata');
    },
  );
  it('accepts text that only looks like the forbidden characters, and paired surrogates', () => {
    expect(() => assertValidWrite(write({ value: 'C:\\u0000 and \ud83d\ude00' }), 1024)).not.toThrow();
  });
  it('makes a key with a lone surrogate INVALID_KEY, so distinct keys never collapse into U+FFFD', () => {
    expect(caught(() => assertValidKey('u/\ud800')).code).toBe(ErrorCode.INVALID_KEY);
    expect(caught(() => assertValidKeyList(['u/\ud800', 'u/\udfff'])).message).toMatch(/^keys\[0\]: /);
  });
});

describe('assertValidKeyList', () => {
  it('accepts distinct valid keys', () => expect(() => assertValidKeyList(['a', 'b', 'a/b'])).not.toThrow());

  it('answers TOO_MANY_KEYS past the bulk limit', () => {
    const keys = Array.from({ length: Limits.MAX_BULK_KEYS + 1 }, (_, index) => `k${index}`);
    expect(caught(() => assertValidKeyList(keys)).code).toBe(ErrorCode.TOO_MANY_KEYS);
  });

  it('accepts exactly the bulk limit', () => {
    const keys = Array.from({ length: Limits.MAX_BULK_KEYS }, (_, index) => `k${index}`);
    expect(() => assertValidKeyList(keys)).not.toThrow();
  });

  it('names the index of an invalid key', () => {
    const error = caught(() => assertValidKeyList(['a', 'b', 'c', '/d']));
    expect(error.code).toBe(ErrorCode.INVALID_KEY);
    expect(error.message).toBe('keys[3]: key must not start or end with "/"');
  });

  it('answers DUPLICATE_KEY naming both indices', () => {
    const error = caught(() => assertValidKeyList(['a', 'b', 'a']));
    expect(error.code).toBe(ErrorCode.DUPLICATE_KEY);
    expect(error.message).toBe('keys[2] repeats keys[0]');
  });

  it('reports an invalid key before a duplicate', () =>
    expect(caught(() => assertValidKeyList(['a', 'a', '']))).toMatchObject({ code: ErrorCode.INVALID_KEY }));
});

describe('assertValidBulkWrite', () => {
  const item = (key: string, overrides: Partial<EntryWrite> = {}) => ({ key, ...write(overrides) });

  it('accepts valid items', () => expect(() => assertValidBulkWrite([item('a'), item('b')], 1024)).not.toThrow());

  it('names the entry whose key is invalid', () => {
    expect(caught(() => assertValidBulkWrite([item('a'), item('a//b')], 1024)).message).toMatch(/^entries\[1\]\.key: /);
  });

  it('names the entry whose value is invalid', () => {
    const error = caught(() => assertValidBulkWrite([item('a'), item('b', { value: 1 })], 1024));
    expect(error.code).toBe(ErrorCode.INVALID_VALUE);
    expect(error.message).toMatch(/^entries\[1\]: value of type STRING/);
  });

  it('checks every key before any value', () => {
    expect(caught(() => assertValidBulkWrite([item('a', { value: 1 }), item('')], 1024)).code).toBe(ErrorCode.INVALID_KEY);
  });

  it('rejects duplicate keys', () =>
    expect(caught(() => assertValidBulkWrite([item('a'), item('a')], 1024)).code).toBe(ErrorCode.DUPLICATE_KEY));
});
