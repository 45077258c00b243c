import { ErrorCode, KvException } from '@app/contracts';
import { BrokerUnavailableError, RpcClient, RpcTimeoutError } from '@app/service-kit';
import { ServiceClient } from './service-client';

interface TestRpc {
  'svc.thing.get.query': { request: { id: string }; reply: { id: string; name: string } };
  'svc.thing.delete.command': { request: { id: string }; reply: unknown };
}

const TIMEOUT = 50;

/** ServiceClient's own rules over an RpcClient answering `outcome` (the broker's side is in libs/service-kit/test). */
function clientAnswering(outcome: () => Promise<unknown>) {
  const request = jest.fn((_pattern: string, _payload: object) => outcome());
  const rpc = { request, options: { queue: 'svc', queueOptions: {}, timeoutMs: TIMEOUT } } as unknown as RpcClient;
  return { client: new ServiceClient<TestRpc>(rpc, 'svc'), request };
}

describe('ServiceClient', () => {
  it('sends the request with a call id of its own and the deadline its caller waits until', async () => {
    const { client, request } = clientAnswering(() => Promise.resolve({ id: '1', name: 'one' }));
    const before = Date.now();
    await expect(client.send('svc.thing.get.query', { id: '1' })).resolves.toEqual({ id: '1', name: 'one' });
    await client.send('svc.thing.get.query', { id: '1' });
    const [pattern, payload] = request.mock.calls[0]!;
    expect(pattern).toBe('svc.thing.get.query');
    expect(payload).toEqual({ id: '1', callId: expect.stringMatching(/^[0-9a-f-]{36}$/), deadline: expect.any(Number) });
    const { deadline, callId } = payload as { deadline: number; callId: string };
    expect(deadline).toBeGreaterThanOrEqual(before + TIMEOUT);
    expect(deadline).toBeLessThanOrEqual(Date.now() + TIMEOUT);
    expect((request.mock.calls[1]![1] as { callId: string }).callId).not.toBe(callId);
  });

  it('passes a replayed outcome on without its mark', async () => {
    const { client } = clientAnswering(() => Promise.resolve({ id: '1', name: 'one', replayed: true }));
    await expect(client.send('svc.thing.get.query', { id: '1' })).resolves.toEqual({ id: '1', name: 'one' });
  });

  it('resolves a reply without a value (a delete) to undefined', async () => {
    const { client } = clientAnswering(() => Promise.resolve(undefined));
    await expect(client.send('svc.thing.delete.command', { id: '1' })).resolves.toBeUndefined();
  });

  it("turns the service's { code, message } into the same KvException", async () => {
    const { client } = clientAnswering(() => Promise.reject({ code: ErrorCode.ENTRY_NOT_FOUND, message: 'entry not found' }));
    await expect(client.send('svc.thing.get.query', { id: '1' })).rejects.toEqual(
      new KvException(ErrorCode.ENTRY_NOT_FOUND, 'entry not found'),
    );
  });

  it('answers no reply in time with SERVICE_TIMEOUT, and no broker with SERVICE_UNAVAILABLE', async () => {
    const timedOut = clientAnswering(() => Promise.reject(new RpcTimeoutError('no reply within 50 ms'))).client;
    await expect(timedOut.send('svc.thing.get.query', { id: '1' })).rejects.toMatchObject({ code: ErrorCode.SERVICE_TIMEOUT });
    const away = clientAnswering(() => Promise.reject(new BrokerUnavailableError('message broker unreachable'))).client;
    await expect(away.send('svc.thing.get.query', { id: '1' })).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });

  it('answers a malformed error reply with INTERNAL_ERROR and an error id only', async () => {
    const { client } = clientAnswering(() => Promise.reject({ status: 'error', message: 'Internal server error: row 42 value=hunter2' }));
    const error = (await client.send('svc.thing.get.query', { id: '1' }).catch((caught: unknown) => caught)) as KvException;
    expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(error.message).toMatch(/^internal error \(errorId [0-9a-f-]{36}\)$/);
  });
});
