import { BulkKeysBody, EntryPutBody, ErrorCode, KvException } from '@app/contracts';
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

  it('rejects unknown properties', async () => {
    const error = await rejection({ value: 1, valueType: 'NUMBER', surprise: true }, EntryPutBody);
    expect(error.message).toMatch(/surprise/);
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
