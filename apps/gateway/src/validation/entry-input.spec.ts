import { BulkKeysBody, BulkSetBody, BulkSetItem, EntryWrite, ErrorCode, Limits, SecretRotateBody, ValueType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { bulkKeysError, bulkSetError, entryWriteError, keyError, rotateError } from './entry-input';

const write = (fields: Partial<EntryWrite>): EntryWrite =>
  plainToInstance(EntryWrite, { value: 'v', valueType: ValueType.STRING, ...fields });
const item = (key: string, fields: Partial<EntryWrite> = {}): BulkSetItem =>
  plainToInstance(BulkSetItem, { key, value: 'v', valueType: ValueType.STRING, ...fields });

describe('keyError', () => {
  it('accepts a hierarchical key', () => {
    expect(keyError('config/database/host')).toBeNull();
  });

  it.each(['', 'a//b', '/a', 'a/', 'a/../b', 'a/./b', 'a\u0000b', 'x'.repeat(Limits.MAX_KEY_BYTES + 1)])(
    'refuses %p with INVALID_KEY',
    (key) => {
      expect(keyError(key)?.code).toBe(ErrorCode.INVALID_KEY);
    },
  );

  it('names the item in a list', () => {
    expect(keyError('a//b', 'keys[3]')?.message).toMatch(/^keys\[3\]: /);
  });
});

describe('rotateError', () => {
  const rotate = (fields: Partial<SecretRotateBody>) => plainToInstance(SecretRotateBody, fields);

  it('accepts a rotation without a value (one is generated)', () => {
    expect(rotateError(rotate({ length: 40, alphabet: 'hex' }), 10)).toBeNull();
  });

  it('accepts a value without a type (the entry keeps its type; the secrets service checks it)', () => {
    expect(rotateError(rotate({ value: 'not-a-number' }), 1024)).toBeNull();
  });

  it('refuses a value of another type than it names with INVALID_VALUE, without quoting it', () => {
    const error = rotateError(rotate({ value: 'hunter2', valueType: ValueType.NUMBER }), 1024);
    expect(error?.code).toBe(ErrorCode.INVALID_VALUE);
    expect(error?.message).not.toContain('hunter2');
  });

  it('refuses a value over the size limit with VALUE_TOO_LARGE', () => {
    expect(rotateError(rotate({ value: 'x'.repeat(9) }), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
  });
});

describe('entryWriteError', () => {
  it('accepts a value of its declared type', () => {
    expect(entryWriteError(write({ value: 42, valueType: ValueType.NUMBER }), 1024)).toBeNull();
  });

  it('refuses a value of another type with INVALID_VALUE, without quoting it', () => {
    const error = entryWriteError(write({ value: 'hunter2', valueType: ValueType.NUMBER }), 1024);
    expect(error?.code).toBe(ErrorCode.INVALID_VALUE);
    expect(error?.message).not.toContain('hunter2');
  });

  it('refuses a value over the size limit with VALUE_TOO_LARGE (its JSON encoding is measured)', () => {
    expect(entryWriteError(write({ value: 'x'.repeat(8) }), 10)).toBeNull(); // "xxxxxxxx" is 10 bytes
    expect(entryWriteError(write({ value: 'x'.repeat(9) }), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
    expect(entryWriteError(write({ value: '€'.repeat(3) }), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE); // UTF-8 bytes, not characters
  });

  it('refuses metadata over its limit with VALIDATION_FAILED', () => {
    const metadata = { note: 'x'.repeat(Limits.MAX_METADATA_BYTES) };
    expect(entryWriteError(write({ metadata }), 1024)?.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(entryWriteError(write({ metadata: { note: 'ok' } }), 1024)).toBeNull();
  });
});

describe('bulkSetError', () => {
  const body = (...entries: BulkSetItem[]) => plainToInstance(BulkSetBody, { entries });

  it('accepts valid distinct entries', () => {
    expect(bulkSetError(body(item('a'), item('b')), 1024)).toBeNull();
  });

  it('applies the single-entry checks to each entry, naming it', () => {
    expect(bulkSetError(body(item('a'), item('b//c')), 1024)).toMatchObject({
      code: ErrorCode.INVALID_KEY,
      message: expect.stringMatching(/^entries\[1\]\.key: /),
    });
    expect(bulkSetError(body(item('a', { value: 1 })), 1024)).toMatchObject({
      code: ErrorCode.INVALID_VALUE,
      message: expect.stringMatching(/^entries\[0\]: /),
    });
    expect(bulkSetError(body(item('a', { value: 'x'.repeat(100) })), 10)?.code).toBe(ErrorCode.VALUE_TOO_LARGE);
  });

  it('refuses a key given twice with DUPLICATE_KEY', () => {
    expect(bulkSetError(body(item('a'), item('b'), item('a')), 1024)).toMatchObject({
      code: ErrorCode.DUPLICATE_KEY,
      message: expect.stringContaining('entries[2]'),
    });
  });
});

describe('bulkKeysError', () => {
  it('checks every key', () => {
    expect(bulkKeysError(plainToInstance(BulkKeysBody, { keys: ['a', 'b/c'] }))).toBeNull();
    expect(bulkKeysError(plainToInstance(BulkKeysBody, { keys: ['a', ''] }))?.message).toMatch(/^keys\[1\]: /);
  });
});
