import { ExecutionContext } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { Registry } from 'prom-client';
import { AsyncResource } from 'node:async_hooks';
import { Observable, Subject, catchError, defer, lastValueFrom, map, of } from 'rxjs';
import { currentRequestId } from '../logging/request-context';
import { MessageHandling } from './message-handling.interceptor';

function rpcContext(
  channel: { ack: jest.Mock; cancel: jest.Mock },
  message: object,
  data: object = {},
  pattern = 'svc.thing.get',
): ExecutionContext {
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({
      getContext: () => ({ getChannelRef: () => channel, getMessage: () => message, getPattern: () => pattern }),
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
  const channel = () => ({ ack: jest.fn(), cancel: jest.fn().mockResolvedValue(undefined) });

  it('acknowledges a message once its handler is done, whether it answered or failed', async () => {
    const messages = new MessageHandling('tag-1', new Registry());
    const ch = channel();
    const answered = new Subject<unknown>();
    const done = lastValueFrom(messages.intercept(rpcContext(ch, { id: 2 }), { handle: () => answered.asObservable() }));
    expect(ch.ack).not.toHaveBeenCalledWith({ id: 2 });
    answered.next('reply');
    answered.complete();
    await done;
    expect(ch.ack).toHaveBeenCalledWith({ id: 2 });
    const failed = new Subject<unknown>();
    const refused = lastValueFrom(messages.intercept(rpcContext(ch, { id: 3 }), { handle: () => failed.asObservable() })).catch(
      () => 'failed',
    );
    failed.error(new Error('invalid'));
    await expect(refused).resolves.toBe('failed');
    expect(ch.ack).toHaveBeenCalledWith({ id: 3 });
  });

  it('on drain, cancels its consumer and waits until the messages in hand are answered', async () => {
    const messages = new MessageHandling('tag-2', new Registry());
    const ch = channel();
    const answered = new Subject<unknown>();
    const handled = lastValueFrom(messages.intercept(rpcContext(ch, { id: 1 }), { handle: () => answered.asObservable() }));
    let drained = false;
    const draining = messages.drain().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ch.cancel).toHaveBeenCalledWith('tag-2');
    expect(drained).toBe(false);
    answered.next('reply');
    answered.complete();
    await handled;
    await draining;
    expect(drained).toBe(true);
    expect(ch.ack).toHaveBeenCalledWith({ id: 1 });
  });

  it("makes the message's request id current for the handler and what it awaits", async () => {
    const messages = new MessageHandling('tag-3', new Registry());
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
    const seen = await lastValueFrom(messages.intercept(rpcContext(channel(), { id: 4 }, { requestId: 'req-42' }), handler));
    expect(seen).toBe('req-42');
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps the request id current for what follows the interceptor: the exception filter and its log lines', async () => {
    const messages = new MessageHandling('tag-5', new Registry());
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
        messages.intercept(rpcContext(channel(), { id: 9 }, { requestId: 'req-43' }), { handle: handler }).pipe(
          map(() => 'answered'),
          catchError(() => of(`filter saw ${currentRequestId()}`)),
        ),
      );
    await expect(answered(failing)).resolves.toBe('filter saw req-43');
  });

  it('counts each message by pattern and by the code its caller is answered with', async () => {
    const registry = new Registry();
    const messages = new MessageHandling('tag-4', registry);
    const ch = channel();
    const failWith = (error: unknown) => ({ handle: () => defer(async () => Promise.reject(error)) });
    await lastValueFrom(messages.intercept(rpcContext(ch, { id: 5 }), { handle: () => defer(async () => 'ok') }));
    await lastValueFrom(messages.intercept(rpcContext(ch, { id: 6 }), failWith(new KvException(ErrorCode.ENTRY_NOT_FOUND, 'no')))).catch(
      () => undefined,
    );
    await lastValueFrom(
      messages.intercept(
        rpcContext(ch, { id: 7 }),
        failWith(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
      ),
    ).catch(() => undefined);
    await lastValueFrom(messages.intercept(rpcContext(ch, { id: 8 }), failWith(new TypeError('bug')))).catch(() => undefined);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: 'ok' })).toBe(1);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.ENTRY_NOT_FOUND })).toBe(1);
    // The database being away is answered 503, and counted as such rather than as a bug.
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.SERVICE_UNAVAILABLE })).toBe(1);
    expect(await handledCount(registry, { pattern: 'svc.thing.get', outcome: ErrorCode.INTERNAL_ERROR })).toBe(1);
  });
});
