import { Logger } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { RpcException } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { RpcErrorFilter } from './rpc-exception.filter';
import { outcomeLabelOf } from './rpc-server';

const payloadOf = (exception: unknown) => firstValueFrom(new RpcErrorFilter().catch(exception)).catch((payload: unknown) => payload);

describe('RpcErrorFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('passes a domain error through', async () => {
    await expect(payloadOf(new KvException(ErrorCode.ENTRY_NOT_FOUND, 'no entry at key a'))).resolves.toEqual({
      code: ErrorCode.ENTRY_NOT_FOUND,
      message: 'no entry at key a',
    });
  });

  it.each([
    ['deadlock', '40P01'],
    ['serialization failure', '40001'],
  ])('answers a %s with a retryable SERVICE_UNAVAILABLE', async (_label, code) => {
    const payload = await payloadOf(Object.assign(new Error('deadlock detected'), { code }));
    expect(payload).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, message: expect.stringMatching(/nothing was applied; retry/) });
  });

  it('answers a lost database with SERVICE_UNAVAILABLE', async () => {
    await expect(
      payloadOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).resolves.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
  });

  it('hides an unexpected error behind an error id, never its message', async () => {
    const payload = (await payloadOf(new Error('invalid input syntax for type json: "planted-value"'))) as {
      code: string;
      message: string;
    };
    expect(payload.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(payload.message).toMatch(/^internal error \(errorId [0-9a-f-]{36}\)$/);
  });

  it.each([
    ['a domain error', new KvException(ErrorCode.VERSION_CONFLICT, 'conflict')],
    ['an RPC error payload', new RpcException({ code: ErrorCode.NAMESPACE_NOT_FOUND, message: 'gone' })],
    ['a deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['a lost database', Object.assign(new Error('Connection terminated unexpectedly'), {})],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a bug', new TypeError('x is undefined')],
    ['a thrown string', 'plain string'],
  ])('answers %s with a payload whose code labels the metrics (not INTERNAL_ERROR for every failure)', async (_label, exception) => {
    const payload = (await payloadOf(exception)) as { code: string };
    expect(outcomeLabelOf({ error: payload })).toBe(payload.code);
  });
});
