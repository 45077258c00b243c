import { Limits } from '../common/limits';
import { ErrorCode } from '../errors/error-codes';
import { KvException } from '../errors/kv.exception';
import { ValueType } from '../values/value-type';
import type { EntryWrite } from './entry.dto';
import { bulkKeysProblem, bulkWriteProblem, entryKeyProblem, entryWriteProblem, rotationProblem, throwIfProblem } from './entry-rules';

const write = (fields: Partial<EntryWrite> = {}): EntryWrite => ({ value: 'v', valueType: ValueType.STRING, ...fields });
const item = (key: string, fields: Partial<EntryWrite> = {}) => ({ key, ...write(fields) });

describe('entryKeyProblem', () => {
  it('accepts a hierarchical key', () => {
    expect(entryKeyProblem('config/database/host')).toBeNull();
    expect(entryKeyProblem('config/db/host')).toBeNull();
  });

  it.each(['', 'a//b', '/a', 'a/', 'a/../b', 'a/./b', 'a\u0000b', 'x'.repeat(Limits.MAX_KEY_BYTES + 1)])(
    'refuses %p with INVALID_KEY',
    (key) => {
      expect(entryKeyProblem(key)?.code).toBe(ErrorCode.INVALID_KEY);
    },
  );

  it('answers the rule the key breaks as the message', () => {
    expect(entryKeyProblem('a//b')).toEqual({ code: ErrorCode.INVALID_KEY, message: 'key must not contain an empty segment ("//")' });
  });

  it('names the item in a list', () => {
    expect(entryKeyProblem('a//b', 'keys[3]')?.message).toMatch(/^keys\[3\]: /);
    expect(entryKeyProblem('', 'keys[3]')?.message).toBe('keys[3]: key must not be empty');
  });
});

describe('entryWriteProblem', () => {
  it('accepts a value of its declared type', () => {
    expect(entryWriteProblem(write({ value: 42, valueType: ValueType.NUMBER }), 1024)).toBeNull();
  });

  it.each(['hunter2', 'planted-secret-9'])('refuses a value of another type with INVALID_VALUE, without quoting it (%p)', (value) => {
    const problem = entryWriteProblem(write({ value, valueType: ValueType.NUMBER }), 1024);
    expect(problem?.code).toBe(ErrorCode.INVALID_VALUE);
    expect(problem?.message).not.toContain(value);
  });

  it('refuses a value over the size limit with VALUE_TOO_LARGE, counting UTF-8 bytes of its JSON encoding', () => {
    expect(entryWriteProblem(write({ value: 'x'.repeat(8) }), 10)).toBeNull(); // "xxxxxxxx" is 10 bytes
    expect(entryWriteProblem(write({ value: 'x'.repeat(9) }), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(entryWriteProblem(write({ value: '€'.repeat(3) }), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE); // UTF-8 bytes, not characters
    // 'é' is 2 bytes; with the quotes the JSON is 2 * 10 + 2 = 22 bytes.
    expect(entryWriteProblem(write({ value: 'é'.repeat(10) }), 22)).toBeNull();
    const problem = entryWriteProblem(write({ value: 'é'.repeat(10) }), 21);
    expect(problem?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(problem?.message).not.toContain('é');
  });

  it('names the size rule and its limit, not the size of the value', () => {
    expect(entryWriteProblem(write({ value: 'x'.repeat(100) }), 10)).toEqual({
      code: ErrorCode.VALUE_TOO_LARGE,
      message: 'value must be at most 10 bytes once JSON-encoded',
    });
  });

  it('refuses metadata over its limit with VALIDATION_FAILED, and accepts it at the limit', () => {
    const oversized = { note: 'x'.repeat(Limits.MAX_METADATA_BYTES) };
    expect(entryWriteProblem(write({ metadata: oversized }), 1024)).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      message: `metadata must be at most ${Limits.MAX_METADATA_BYTES} bytes once JSON-encoded`,
    });
    expect(entryWriteProblem(write({ metadata: { note: 'ok' } }), 1024)).toBeNull();
    const atTheLimit = { n: 'x'.repeat(Limits.MAX_METADATA_BYTES - '{"n":""}'.length) };
    expect(entryWriteProblem(write({ metadata: atTheLimit }), 1024)).toBeNull();
  });

  it('checks the type before the size', () => {
    expect(entryWriteProblem(write({ value: 'x'.repeat(100), valueType: ValueType.BOOLEAN }), 10)?.code).toBe(ErrorCode.INVALID_VALUE);
  });
});

describe('the text rule on writes', () => {
  it.each([['a\u0000b'], ['lone \ud800'], [['ok', 'x\udfff']], [{ nested: { deep: '\u0000' } }], [{ 'k\ud83d': 1 }]])(
    'makes a value holding %j INVALID_VALUE, and the same as metadata too',
    (bad) => {
      const asValue = entryWriteProblem(
        write({ value: bad, valueType: typeof bad === 'string' ? ValueType.STRING : ValueType.JSON }),
        1024,
      );
      expect(asValue?.code).toBe(ErrorCode.INVALID_VALUE);
      const asMetadata = entryWriteProblem(write({ metadata: { m: bad } }), 1024);
      expect(asMetadata?.code).toBe(ErrorCode.INVALID_VALUE);
      expect(asMetadata?.message).toContain('metadata');
    },
  );

  it('accepts text that only looks like the forbidden characters, and paired surrogates', () => {
    expect(entryWriteProblem(write({ value: 'C:\\u0000 and \ud83d\ude00' }), 1024)).toBeNull();
  });

  it('makes a key with a lone surrogate INVALID_KEY, so distinct keys never collapse into U+FFFD', () => {
    expect(entryKeyProblem('u/\ud800')?.code).toBe(ErrorCode.INVALID_KEY);
    expect(bulkKeysProblem(['u/\ud800', 'u/\udfff'])?.message).toMatch(/^keys\[0\]: /);
  });
});

describe('rotationProblem', () => {
  it('accepts a rotation without a value (one is generated)', () => {
    expect(rotationProblem({}, 10)).toBeNull();
  });

  it('accepts a value without a type (the entry keeps its type; the secrets service checks it)', () => {
    expect(rotationProblem({ value: 'not-a-number' }, 1024)).toBeNull();
  });

  it('refuses a value of another type than it names with INVALID_VALUE, without quoting it', () => {
    const problem = rotationProblem({ value: 'hunter2', valueType: ValueType.NUMBER }, 1024);
    expect(problem?.code).toBe(ErrorCode.INVALID_VALUE);
    expect(problem?.message).not.toContain('hunter2');
  });

  it('refuses a value over the size limit with VALUE_TOO_LARGE, with or without its type', () => {
    expect(rotationProblem({ value: 'x'.repeat(9) }, 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(rotationProblem({ value: 'x'.repeat(9), valueType: ValueType.STRING }, 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
  });

  it('checks the type it names before the size, as a write does', () => {
    expect(rotationProblem({ value: 'x'.repeat(100), valueType: ValueType.NUMBER }, 10)?.code).toBe(ErrorCode.INVALID_VALUE);
  });
});

describe('bulkKeysProblem', () => {
  it('accepts distinct valid keys', () => {
    expect(bulkKeysProblem(['a', 'b', 'a/b'])).toBeNull();
    expect(bulkKeysProblem(['a', 'b/c'])).toBeNull();
  });

  it('answers TOO_MANY_KEYS past the bulk limit, and accepts exactly the limit', () => {
    const keys = (length: number) => Array.from({ length }, (_, index) => `k${index}`);
    expect(bulkKeysProblem(keys(Limits.MAX_BULK_KEYS + 1))).toEqual({
      code: ErrorCode.TOO_MANY_KEYS,
      message: `at most ${Limits.MAX_BULK_KEYS} keys a call, got ${Limits.MAX_BULK_KEYS + 1}`,
    });
    expect(bulkKeysProblem(keys(Limits.MAX_BULK_KEYS))).toBeNull();
  });

  it('names the index of an invalid key', () => {
    expect(bulkKeysProblem(['a', 'b', 'c', '/d'])).toEqual({
      code: ErrorCode.INVALID_KEY,
      message: 'keys[3]: key must not start or end with "/"',
    });
    expect(bulkKeysProblem(['a', ''])?.message).toMatch(/^keys\[1\]: /);
  });

  it('answers DUPLICATE_KEY naming both indices', () => {
    expect(bulkKeysProblem(['a', 'b', 'a'])).toEqual({
      code: ErrorCode.DUPLICATE_KEY,
      message: 'keys[2]: key must appear only once a call; it repeats keys[0]',
    });
  });

  it('reports an invalid key before a duplicate', () => {
    expect(bulkKeysProblem(['a', 'a', ''])?.code).toBe(ErrorCode.INVALID_KEY);
  });
});

describe('bulkWriteProblem', () => {
  it('accepts valid distinct entries', () => {
    expect(bulkWriteProblem([item('a'), item('b')], 1024)).toBeNull();
  });

  it('names the entry whose key is invalid', () => {
    expect(bulkWriteProblem([item('a'), item('a//b')], 1024)?.message).toMatch(/^entries\[1\]\.key: /);
    expect(bulkWriteProblem([item('a'), item('b//c')], 1024)).toMatchObject({
      code: ErrorCode.INVALID_KEY,
      message: expect.stringMatching(/^entries\[1\]\.key: /),
    });
  });

  it('applies the single-entry checks to each entry, naming it', () => {
    expect(bulkWriteProblem([item('a'), item('b', { value: 1 })], 1024)).toMatchObject({
      code: ErrorCode.INVALID_VALUE,
      message: expect.stringMatching(/^entries\[1\]: value of type STRING/),
    });
    expect(bulkWriteProblem([item('a', { value: 1 })], 1024)).toMatchObject({
      code: ErrorCode.INVALID_VALUE,
      message: expect.stringMatching(/^entries\[0\]: /),
    });
    expect(bulkWriteProblem([item('a', { value: 'x'.repeat(100) })], 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
  });

  it('checks every key before any value', () => {
    expect(bulkWriteProblem([item('a', { value: 1 }), item('')], 1024)?.code).toBe(ErrorCode.INVALID_KEY);
  });

  it('refuses a key given twice with DUPLICATE_KEY, naming both entries', () => {
    expect(bulkWriteProblem([item('a'), item('a')], 1024)?.code).toBe(ErrorCode.DUPLICATE_KEY);
    expect(bulkWriteProblem([item('a'), item('b'), item('a')], 1024)).toEqual({
      code: ErrorCode.DUPLICATE_KEY,
      message: 'entries[2].key: key must appear only once a call; it repeats entries[0].key',
    });
  });
});

describe('throwIfProblem', () => {
  it('throws the problem as a KvException, and nothing without one', () => {
    expect(() => throwIfProblem(null)).not.toThrow();
    let thrown: unknown;
    try {
      throwIfProblem({ code: ErrorCode.INVALID_KEY, message: 'key must not be empty' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KvException);
    expect(thrown).toMatchObject({ code: ErrorCode.INVALID_KEY, message: 'key must not be empty' });
  });
});
