import { ClientProxy, RmqRecord } from '@nestjs/microservices';
import { ErrorCode, KvException } from '@app/contracts';
import { BehaviorSubject, NEVER, Observable, of, throwError } from 'rxjs';
import { ServiceClient } from './service-client';

interface TestRpc {
  'svc.thing.get.query': { request: { id: string }; reply: { id: string; name: string } };
  'svc.thing.delete.command': { request: { id: string }; reply: unknown };
}

function fakeProxy(reply: () => Observable<unknown>, status = 'connected') {
  const send = jest.fn((_pattern: string, _record: RmqRecord) => reply());
  const proxy = { send, status: new BehaviorSubject(status), connect: jest.fn(() => Promise.resolve()) } as unknown as ClientProxy;
  return { proxy, send };
}

const TIMEOUT = 50;

describe('ServiceClient', () => {
  const clientFor = (reply: () => Observable<unknown>, status?: string) => {
    const { proxy, send } = fakeProxy(reply, status);
    return { client: new ServiceClient<TestRpc>(proxy, 'svc', TIMEOUT), send };
  };

  it('sends the request with a TTL equal to the timeout, a call id of its own and its deadline', async () => {
    const { client, send } = clientFor(() => of({ id: '1', name: 'one' }));
    const before = Date.now();
    await expect(client.send('svc.thing.get.query', { id: '1' })).resolves.toEqual({ id: '1', name: 'one' });
    await client.send('svc.thing.get.query', { id: '1' });
    const [pattern, record] = send.mock.calls[0];
    expect(pattern).toBe('svc.thing.get.query');
    expect(record).toBeInstanceOf(RmqRecord);
    expect(record.data).toEqual({ id: '1', callId: expect.stringMatching(/^[0-9a-f-]{36}$/), deadline: expect.any(Number) });
    expect(record.options?.expiration).toBe(String(TIMEOUT));
    const { deadline, callId } = record.data as { deadline: number; callId: string };
    expect(deadline).toBeGreaterThanOrEqual(before + TIMEOUT);
    expect(deadline).toBeLessThanOrEqual(Date.now() + TIMEOUT);
    expect((send.mock.calls[1]![1].data as { callId: string }).callId).not.toBe(callId);
  });

  it('passes a replayed outcome on without its mark', async () => {
    const { client } = clientFor(() => of({ id: '1', name: 'one', replayed: true }));
    await expect(client.send('svc.thing.get.query', { id: '1' })).resolves.toEqual({ id: '1', name: 'one' });
  });

  it('resolves a reply without a value (a delete) to undefined', async () => {
    const { client } = clientFor(() => new Observable((subscriber) => subscriber.complete()));
    await expect(client.send('svc.thing.delete.command', { id: '1' })).resolves.toBeUndefined();
  });

  it("turns the service's { code, message } into the same KvException", async () => {
    const { client } = clientFor(() => throwError(() => ({ code: ErrorCode.ENTRY_NOT_FOUND, message: 'entry not found' })));
    await expect(client.send('svc.thing.get.query', { id: '1' })).rejects.toEqual(
      new KvException(ErrorCode.ENTRY_NOT_FOUND, 'entry not found'),
    );
  });

  it('gives up after the timeout with SERVICE_TIMEOUT while connected', async () => {
    const { client } = clientFor(() => NEVER);
    const started = Date.now();
    await expect(client.send('svc.thing.get.query', { id: '1' })).rejects.toMatchObject({ code: ErrorCode.SERVICE_TIMEOUT });
    expect(Date.now() - started).toBeLessThan(TIMEOUT + 500);
  });

  it('gives up after the timeout with SERVICE_UNAVAILABLE while the broker is unreachable', async () => {
    const { client } = clientFor(() => NEVER, 'disconnected');
    await expect(client.send('svc.thing.get.query', { id: '1' })).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('answers a connection failure with SERVICE_UNAVAILABLE', async () => {
    const { client } = clientFor(() => throwError(() => new Error('connect ECONNREFUSED 127.0.0.1:5672')));
    await expect(client.send('svc.thing.get.query', { id: '1' })).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('answers a malformed error reply with INTERNAL_ERROR and an error id only', async () => {
    const { client } = clientFor(() => throwError(() => ({ status: 'error', message: 'Internal server error: row 42 value=hunter2' })));
    const error = (await client.send('svc.thing.get.query', { id: '1' }).catch((caught: unknown) => caught)) as KvException;
    expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(error.message).toMatch(/^internal error \(errorId [0-9a-f-]{36}\)$/);
  });

  it('warms up in the background: a broker that is down does not throw', async () => {
    const { proxy } = fakeProxy(() => NEVER);
    (proxy.connect as jest.Mock).mockRejectedValue(new Error('ECONNREFUSED'));
    const client = new ServiceClient<TestRpc>(proxy, 'svc', TIMEOUT);
    expect(() => client.warmUp()).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    client.stop();
  });
});
