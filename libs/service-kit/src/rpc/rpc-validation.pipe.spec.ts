import { BulkKeysBody, BulkSetBody, EntryPutBody, ErrorCode, KvException } from '@app/contracts';
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

  it('accepts a valid body', async () => {
    await expect(pipe.transform({ value: 'x', valueType: 'STRING' }, asBody(EntryPutBody))).resolves.toBeInstanceOf(EntryPutBody);
  });
});
