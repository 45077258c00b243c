import { EntryPattern, ErrorCode, MessageMeta, NamespaceDescriptor, SecretEntryPattern, ValueType } from '@app/contracts';
import type { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import type { KvEntryClient } from '../rpc/kv-entry.client';
import type { SecretsClient } from '../rpc/secrets.client';
import { EntryRouter } from './entry-router.service';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';
const meta: MessageMeta = { actor: { id: 'alice', permissions: ['*'], applications: ['billing'] }, requestId: 'req-1' };
const plain: NamespaceDescriptor = { id: NS, applicationId: 'billing', isSecretNamespace: false, defaultTtlSeconds: null, maxSecretVersions: null };
const secret: NamespaceDescriptor = { ...plain, isSecretNamespace: true, defaultTtlSeconds: 60, maxSecretVersions: 5 };

describe('EntryRouter', () => {
  const describeNamespace = jest.fn<Promise<NamespaceDescriptor>, [MessageMeta, string]>();
  const kvEntrySend = jest.fn();
  const secretsSend = jest.fn();
  const router = new EntryRouter(
    { describe: describeNamespace } as unknown as NamespaceDirectory,
    { send: kvEntrySend } as unknown as KvEntryClient,
    { send: secretsSend } as unknown as SecretsClient,
  );

  beforeEach(() => {
    describeNamespace.mockReset();
    kvEntrySend.mockReset().mockResolvedValue('from kv-entry');
    secretsSend.mockReset().mockResolvedValue('from secrets');
  });

  const write = { value: 'v', valueType: ValueType.STRING };
  // Every call both kinds of namespace serve: how it is made, and what each service receives.
  const calls = [
    ['get', () => router.get(meta, NS, 'a/b'), EntryPattern.GET, SecretEntryPattern.GET, { key: 'a/b' }],
    ['list', () => router.list(meta, NS, { prefix: 'a/' }), EntryPattern.LIST, SecretEntryPattern.LIST, { query: { prefix: 'a/' } }],
    ['put', () => router.put(meta, NS, 'k', { ...write, expectedVersion: 2 }), EntryPattern.PUT, SecretEntryPattern.PUT, { key: 'k', body: { ...write, expectedVersion: 2 } }],
    ['delete', () => router.delete(meta, NS, 'k'), EntryPattern.DELETE, SecretEntryPattern.DELETE, { key: 'k' }],
    ['bulkGet', () => router.bulkGet(meta, NS, { keys: ['a'] }), EntryPattern.BULK_GET, SecretEntryPattern.BULK_GET, { body: { keys: ['a'] } }],
    ['bulkSet', () => router.bulkSet(meta, NS, { entries: [{ key: 'a', ...write }] }), EntryPattern.BULK_SET, SecretEntryPattern.BULK_SET, { body: { entries: [{ key: 'a', ...write }] } }],
    ['bulkDelete', () => router.bulkDelete(meta, NS, { keys: ['a'] }), EntryPattern.BULK_DELETE, SecretEntryPattern.BULK_DELETE, { body: { keys: ['a'] } }],
  ] as const;

  it.each(calls)('%s in a plain namespace: kv-entry, the request as before, no descriptor', async (name, call, plainPattern, _secretPattern, fields) => {
    describeNamespace.mockResolvedValue(plain);
    const result = await call();
    expect(describeNamespace).toHaveBeenCalledWith(meta, NS);
    expect(kvEntrySend).toHaveBeenCalledWith(plainPattern, { ...meta, namespaceId: NS, ...fields });
    expect(secretsSend).not.toHaveBeenCalled();
    if (name !== 'delete') expect(result).toBe('from kv-entry');
  });

  it.each(calls)('%s in a secret namespace: the secrets service, with the descriptor added', async (name, call, _plainPattern, secretPattern, fields) => {
    describeNamespace.mockResolvedValue(secret);
    const result = await call();
    expect(secretsSend).toHaveBeenCalledWith(secretPattern, { ...meta, namespaceId: NS, ...fields, namespace: secret });
    expect(kvEntrySend).not.toHaveBeenCalled();
    if (name !== 'delete') expect(result).toBe('from secrets');
  });

  const secretOnly = [
    ['readVersion', () => router.readVersion(meta, NS, 'k', 3), SecretEntryPattern.GET, { key: 'k', version: 3 }],
    ['versions', () => router.versions(meta, NS, 'k', { limit: 2 }), SecretEntryPattern.VERSIONS, { key: 'k', query: { limit: 2 } }],
    ['rotate', () => router.rotate(meta, NS, 'k', { length: 40 }), SecretEntryPattern.ROTATE, { key: 'k', body: { length: 40 } }],
    ['rollback', () => router.rollback(meta, NS, 'k', { version: 1 }), SecretEntryPattern.ROLLBACK, { key: 'k', body: { version: 1 } }],
  ] as const;

  it.each(secretOnly)('%s in a secret namespace: the secrets service, with the descriptor', async (_name, call, pattern, fields) => {
    describeNamespace.mockResolvedValue(secret);
    await expect(call()).resolves.toBe('from secrets');
    expect(secretsSend).toHaveBeenCalledWith(pattern, { ...meta, namespaceId: NS, ...fields, namespace: secret });
  });

  it.each(secretOnly)('%s in a plain namespace: NOT_A_SECRET_NAMESPACE, and no service is called', async (_name, call) => {
    describeNamespace.mockResolvedValue(plain);
    await expect(call()).rejects.toMatchObject({ code: ErrorCode.NOT_A_SECRET_NAMESPACE, message: expect.stringContaining(NS) });
    expect(kvEntrySend).not.toHaveBeenCalled();
    expect(secretsSend).not.toHaveBeenCalled();
  });

  it('calls no service when the namespace cannot be described', async () => {
    describeNamespace.mockRejectedValue(Object.assign(new Error('not found'), { code: ErrorCode.NAMESPACE_NOT_FOUND }));
    await expect(router.get(meta, NS, 'k')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
    expect(kvEntrySend).not.toHaveBeenCalled();
    expect(secretsSend).not.toHaveBeenCalled();
  });
});
