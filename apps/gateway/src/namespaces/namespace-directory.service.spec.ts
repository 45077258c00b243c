import { ErrorCode, KvException, NamespaceDescriptor, NamespacePattern } from '@app/contracts';
import type { KvEntryClient } from '../rpc/kv-entry.client';
import { NamespaceDirectory, NamespaceDirectoryOptions } from './namespace-directory.service';
import { anAdmin, messageMeta } from '../../../../test/support/principals';
import { aNamespaceDescriptor } from '../../../../test/support/samples';

const NS_A = '3f0c2a5e-0000-4000-8000-00000000000a';
const NS_B = '3f0c2a5e-0000-4000-8000-00000000000b';
const NS_C = '3f0c2a5e-0000-4000-8000-00000000000c';

const metaFor = (applications: string[], id = 'alice') => messageMeta(anAdmin({ id, applications }));
const billing = metaFor(['billing']);

const descriptor = (id: string, overrides: Partial<NamespaceDescriptor> = {}) => aNamespaceDescriptor({ id, ...overrides });

describe('NamespaceDirectory', () => {
  let send: jest.Mock;

  const directoryWith = (options: Partial<NamespaceDirectoryOptions> = {}) =>
    new NamespaceDirectory({ send } as unknown as KvEntryClient, { ttlMs: 5000, maxEntries: 100, ...options });

  beforeEach(() => {
    jest.useFakeTimers();
    send = jest.fn((_pattern: string, request: { namespaceId: string }) => Promise.resolve(descriptor(request.namespaceId)));
  });

  afterEach(() => jest.useRealTimers());

  it('asks kv-entry on a miss, with the caller and the request id', async () => {
    const directory = directoryWith();
    await expect(directory.describe(billing, NS_A)).resolves.toEqual(descriptor(NS_A));
    expect(send).toHaveBeenCalledWith(NamespacePattern.DESCRIBE, { ...billing, namespaceId: NS_A });
  });

  it('answers from memory within the TTL: no second round trip', async () => {
    const directory = directoryWith();
    await directory.describe(billing, NS_A);
    jest.advanceTimersByTime(4999);
    await expect(directory.describe(billing, NS_A)).resolves.toEqual(descriptor(NS_A));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('asks again once the TTL has passed, and takes the new settings', async () => {
    const directory = directoryWith();
    await directory.describe(billing, NS_A);
    send.mockResolvedValueOnce(descriptor(NS_A, { defaultTtlSeconds: 30 }));
    jest.advanceTimersByTime(5000);
    await expect(directory.describe(billing, NS_A)).resolves.toMatchObject({ defaultTtlSeconds: 30 });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('with a TTL of 0, asks every time', async () => {
    const directory = directoryWith({ ttlMs: 0 });
    await directory.describe(billing, NS_A);
    await directory.describe(billing, NS_A);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries descriptors, dropping the oldest first', async () => {
    const directory = directoryWith({ maxEntries: 2 });
    for (const id of [NS_A, NS_B, NS_C]) await directory.describe(billing, id);
    send.mockClear();
    await directory.describe(billing, NS_C);
    await directory.describe(billing, NS_B);
    expect(send).not.toHaveBeenCalled();
    await directory.describe(billing, NS_A);
    expect(send).toHaveBeenCalledWith(NamespacePattern.DESCRIBE, expect.objectContaining({ namespaceId: NS_A }));
  });

  it('never grows past its bound under many namespaces', async () => {
    const directory = directoryWith({ maxEntries: 10 });
    const ids = Array.from({ length: 50 }, (_, i) => `3f0c2a5e-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of ids) await directory.describe(billing, id);
    send.mockClear();
    for (const id of ids.slice(-10)) await directory.describe(billing, id);
    expect(send).not.toHaveBeenCalled();
    for (const id of ids.slice(0, 40)) await directory.describe(billing, id);
    expect(send).toHaveBeenCalledTimes(40);
  });

  it('cannot give a cached namespace to a caller who may not access its application: NAMESPACE_NOT_FOUND, as kv-entry says it', async () => {
    const directory = directoryWith();
    await directory.describe(billing, NS_A);
    await expect(directory.describe(metaFor(['shipping'], 'mallory'), NS_A)).rejects.toEqual(
      new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${NS_A} not found`),
    );
    expect(send).toHaveBeenCalledTimes(1);
    await expect(directory.describe(metaFor(['*'], 'root'), NS_A)).resolves.toEqual(descriptor(NS_A));
  });

  it('makes the same application check on a miss', async () => {
    send.mockResolvedValueOnce(descriptor(NS_A, { applicationId: 'payroll' }));
    await expect(directoryWith().describe(billing, NS_A)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });

  it('does not remember a failed lookup', async () => {
    const directory = directoryWith();
    send.mockRejectedValueOnce(new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${NS_A} not found`));
    await expect(directory.describe(billing, NS_A)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
    await expect(directory.describe(billing, NS_A)).resolves.toEqual(descriptor(NS_A));
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('forgets an evicted namespace', async () => {
    const directory = directoryWith();
    await directory.describe(billing, NS_A);
    await directory.describe(billing, NS_B);
    directory.evict(NS_A);
    await directory.describe(billing, NS_A);
    await directory.describe(billing, NS_B);
    expect(send.mock.calls.map(([, request]) => (request as { namespaceId: string }).namespaceId)).toEqual([NS_A, NS_B, NS_A]);
  });

  it('does not cache a lookup that was under way when the namespace was evicted', async () => {
    const directory = directoryWith();
    let answer: (value: NamespaceDescriptor) => void = () => undefined;
    send.mockReturnValueOnce(new Promise<NamespaceDescriptor>((resolve) => (answer = resolve)));
    const inFlight = directory.describe(billing, NS_A);
    directory.evict(NS_A);
    answer(descriptor(NS_A));
    await inFlight;
    await directory.describe(billing, NS_A);
    expect(send).toHaveBeenCalledTimes(2);
  });
});
