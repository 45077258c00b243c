import { ExecutionContext } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { Registry } from 'prom-client';
import { AsyncResource } from 'node:async_hooks';
import { Observable, catchError, defer, lastValueFrom, map, of } from 'rxjs';
import { currentRequestId } from '../logging/request-context';
import { MessageHandling } from './message-handling.interceptor';

function rpcContext(data: object = {}, pattern = 'svc.thing.get'): ExecutionContext {
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({
      getContext: () => ({ getPattern: () => pattern }),
      getData: () => data,
    }),
  } as unknown as ExecutionContext;
}

async function handledCount(registry: Registry, labels: { pattern: string; outcome: string }): Promise<number> {
  const metric = await registry.getSingleMetric('kv_rpc_handling_seconds')!.get();
  const sample = metric.values.find(
    (value) =>
      (value as { metricName?: string }).metricName === 'kv_rpc_handling_seconds_count' &&
      value.labels.pattern === labels.pattern &&
      value.labels.outcome === labels.outcome,
  );
  return sample?.value ?? 0;
}

describe('MessageHandling', () => {
  it("makes the message's request id current for the handler and what it awaits", async () => {
    const messages = new MessageHandling(new Registry());
    // As Nest's `handle()` does, the handler is bound to the async context `handle` was called in.
    const handler = {
      handle: (): Observable<string | undefined> =>
        defer(
          AsyncResource.bind(async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return currentRequestId();
          }),
        ),
    };
    const seen = await lastValueFrom(messages.intercept(rpcContext({ requestId: 'req-42' }), handler));
    expect(seen).toBe('req-42');
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps the request id current for what follows the interceptor: the exception filter and its log lines', async () => {
    const messages = new MessageHandling(new Registry());
    const failing = (): Observable<never> =>
      defer(
        AsyncResource.bind(async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new TypeError('bug');
        }),
      );
    const answered = (handler: () => Observable<unknown>) =>
      // As Nest's RPC proxy does, the filter is chained after the interceptors, outside any request context.
      lastValueFrom(
        messages.intercept(rpcContext({ requestId: 'req-43' }), { handle: handler }).pipe(
          map(() => 'answered'),
          catchError(() => of(`filter saw ${currentRequestId()}`)),
        ),
      );
    await expect(answered(failing)).resolves.toBe('filter saw req-43');
  });

  it("refuses a message past its caller's deadline without handling it", async () => {
    const registry = new Registry();
    const handle = jest.fn(() => of('applied'));
    const late = lastValueFrom(new MessageHandling(registry).intercept(rpcContext({ deadline: Date.now() - 1 }), { handle }));
    await expect(late).rejects.toMatchObject({ code: ErrorCode.SERVICE_TIMEOUT });
    expect(handle).not.toHaveBeenCalled();
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.SERVICE_TIMEOUT })).toBe(1);
  });

  it('counts each message by pattern and by the code its caller is answered with', async () => {
    const registry = new Registry();
    const messages = new MessageHandling(registry);
    const failWith = (error: unknown) => ({ handle: () => defer(async () => Promise.reject(error)) });
    await lastValueFrom(messages.intercept(rpcContext(), { handle: () => defer(async () => 'ok') }));
    await lastValueFrom(messages.intercept(rpcContext(), failWith(new KvException(ErrorCode.ENTRY_NOT_FOUND, 'no')))).catch(
      () => undefined,
    );
    await lastValueFrom(
      messages.intercept(rpcContext(), failWith(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))),
    ).catch(() => undefined);
    await lastValueFrom(messages.intercept(rpcContext(), failWith(new TypeError('bug')))).catch(() => undefined);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: 'ok' })).toBe(1);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.ENTRY_NOT_FOUND })).toBe(1);
    // The database being away is answered 503, and counted as such rather than as a bug.
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.SERVICE_UNAVAILABLE })).toBe(1);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.INTERNAL_ERROR })).toBe(1);
  });
});
