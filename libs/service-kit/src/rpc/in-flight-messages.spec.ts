import { ExecutionContext } from '@nestjs/common';
import { Subject, lastValueFrom } from 'rxjs';
import { InFlightMessages } from './in-flight-messages';

function rpcContext(channel: { ack: jest.Mock; cancel: jest.Mock }, message: object): ExecutionContext {
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => ({ getChannelRef: () => channel, getMessage: () => message }) }),
  } as unknown as ExecutionContext;
}

describe('InFlightMessages', () => {
  const channel = () => ({ ack: jest.fn(), cancel: jest.fn().mockResolvedValue(undefined) });

  it('acknowledges a message once its handler is done, whether it answered or failed', async () => {
    const inFlight = new InFlightMessages('tag-1');
    const ch = channel();
    const answered = new Subject<unknown>();
    const done = lastValueFrom(inFlight.intercept(rpcContext(ch, { id: 2 }), { handle: () => answered.asObservable() }));
    expect(ch.ack).not.toHaveBeenCalledWith({ id: 2 });
    answered.next('reply');
    answered.complete();
    await done;
    expect(ch.ack).toHaveBeenCalledWith({ id: 2 });
    const failed = new Subject<unknown>();
    const refused = lastValueFrom(inFlight.intercept(rpcContext(ch, { id: 3 }), { handle: () => failed.asObservable() })).catch(() => 'failed');
    failed.error(new Error('invalid'));
    await expect(refused).resolves.toBe('failed');
    expect(ch.ack).toHaveBeenCalledWith({ id: 3 });
  });

  it('on drain, cancels its consumer and waits until the messages in hand are answered', async () => {
    const inFlight = new InFlightMessages('tag-2');
    const ch = channel();
    const answered = new Subject<unknown>();
    const handled = lastValueFrom(inFlight.intercept(rpcContext(ch, { id: 1 }), { handle: () => answered.asObservable() }));
    let drained = false;
    const draining = inFlight.drain().then(() => (drained = true));
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
});
