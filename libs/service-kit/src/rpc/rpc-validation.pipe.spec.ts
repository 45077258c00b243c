import { BulkKeysBody, BulkSetBody, EntryPutBody, ErrorCode, KvException, SecretRollbackBody } from '@app/contracts';
import { ArgumentMetadata } from '@nestjs/common';
import { createRpcValidationPipe } from './rpc-validation.pipe';

describe('createRpcValidationPipe', () => {
  const pipe = createRpcValidationPipe();
  const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

  async function rejection(value: unknown, metatype: ArgumentMetadata['metatype']): Promise<KvException> {
    try {
      await pipe.transform(value, asBody(metatype));
    } catch (error) {
      return error as KvException;
    }
    throw new Error('expected the pipe to reject');
  }

  it('names every failing property and never the value', async () => {
    const error = await rejection({ value: 'planted-7c1e', valueType: 'NOPE', ttlSeconds: -1 }, EntryPutBody);
    expect(error).toBeInstanceOf(KvException);
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.message).toMatch(/valueType/);
    expect(error.message).toMatch(/ttlSeconds/);
    expect(error.message).not.toContain('planted-7c1e');
  });

  it('rejects unknown properties without echoing their names, which may be data', async () => {
    const error = await rejection({ value: 1, valueType: 'NUMBER', 'planted-name-9f2': true }, EntryPutBody);
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.message).toBe('body: has a property that is not part of the API (its name is not repeated, as it may hold data)');
  });

  it('says where an unknown nested property is', async () => {
    const error = await rejection({ entries: [{ key: 'a', value: 1, valueType: 'NUMBER', extra: 1 }] }, BulkSetBody);
    expect(error.message).toMatch(/^entries\.0: has a property that is not part of the API/);
    expect(error.message).not.toContain('extra');
  });

  it('uses the precise code a constraint names in its context', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `k${i}`);
    const error = await rejection({ keys }, BulkKeysBody);
    expect(error.code).toBe(ErrorCode.TOO_MANY_KEYS);
  });

  it('answers a bulk body that is not the documented shape with VALIDATION_FAILED, not a count it never had', async () => {
    for (const body of [{}, 'a', null, 5, [], { keys: 'a' }, { entries: {} }]) {
      expect((await rejection(body, BulkKeysBody)).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect((await rejection(body, BulkSetBody)).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });

  it('answers the text rule with the code of the field: INVALID_KEY for keys, INVALID_TEXT elsewhere', async () => {
    expect((await rejection({ keys: ['ok', 'u/\ud800'] }, BulkKeysBody)).code).toBe(ErrorCode.INVALID_KEY);
    const error = await rejection({ entries: [{ key: 'a\u0000', value: 1, valueType: 'NUMBER' }] }, BulkSetBody);
    expect(error.code).toBe(ErrorCode.INVALID_KEY);
    expect(error.message).toBe('entries.0.key: key must be well-formed Unicode without the character U+0000');
    expect((await rejection({ version: 1, reason: 'why\u0000' }, SecretRollbackBody)).code).toBe(ErrorCode.INVALID_TEXT);
  });

  it('refuses a message using an object key class-transformer would misread, at any depth', async () => {
    const inValue = await rejection(JSON.parse('{"value":{"ok":1,"arr":[{"constructor":1}]},"valueType":"JSON"}'), EntryPutBody);
    expect(inValue).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, message: 'must not use the object key "constructor"' });
    expect((await rejection(JSON.parse('{"version":1,"constructor":{"polluted":true}}'), SecretRollbackBody)).code).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
  });

  it('accepts a valid body', async () => {
    await expect(pipe.transform({ value: 'x', valueType: 'STRING' }, asBody(EntryPutBody))).resolves.toBeInstanceOf(EntryPutBody);
  });
});
