import { EntryPattern, ErrorCode, MessageMeta, NamespaceDescriptor, SecretEntryPattern, ValueType } from '@app/contracts';
import type { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import type { KvEntryClient } from '../rpc/kv-entry.client';
import type { SecretsClient } from '../rpc/secrets.client';
import { EntryCache } from './entry-cache';
import { EntryRouter } from './entry-router.service';
import { anAdmin, messageMeta } from '../../../../test/support/principals';
import { SAMPLE_NS as NS, aNamespaceDescriptor, anEntry } from '../../../../test/support/samples';

const meta = messageMeta(anAdmin({ id: 'alice', applications: ['billing'] }));
const plain = aNamespaceDescriptor();
const secret = aNamespaceDescriptor({ isSecretNamespace: true, defaultTtlSeconds: 60, maxSecretVersions: 5, revision: 3 });

describe('EntryRouter', () => {
  const describeNamespace = jest.fn<Promise<NamespaceDescriptor>, [MessageMeta, string]>();
  const kvEntrySend = jest.fn();
  const secretsSend = jest.fn();
  let cache: EntryCache;
  let router: EntryRouter;

  beforeEach(() => {
    cache = new EntryCache({ maxBytes: 1024 * 1024, maxAgeMs: 60_000 });
    cache.resume();
    router = new EntryRouter(
      { describe: describeNamespace } as unknown as NamespaceDirectory,
      { send: kvEntrySend } as unknown as KvEntryClient,
      { send: secretsSend } as unknown as SecretsClient,
      cache,
    );
    describeNamespace.mockReset();
    kvEntrySend.mockReset().mockResolvedValue({ from: 'kv-entry', revision: 12 });
    secretsSend.mockReset().mockResolvedValue({ from: 'secrets', revision: 5 });
  });

  const write = { value: 'v', valueType: ValueType.STRING };
  // A read's answer comes back split from its revision; the other calls' as the service gave it.
  const READS: ReadonlySet<string> = new Set(['get', 'list', 'bulkGet']);
  const answerOf = (name: string, result: unknown): unknown => (READS.has(name) ? (result as { answer: unknown }).answer : result);
  // Every call both kinds of namespace serve: how it is made, and what each service receives.
  const calls = [
    ['get', () => router.get(meta, NS, 'a/b'), EntryPattern.GET, SecretEntryPattern.GET, { key: 'a/b' }],
    ['list', () => router.list(meta, NS, { prefix: 'a/' }), EntryPattern.LIST, SecretEntryPattern.LIST, { query: { prefix: 'a/' } }],
    [
      'put',
      () => router.put(meta, NS, 'k', { ...write, expectedVersion: 2 }),
      EntryPattern.PUT,
      SecretEntryPattern.PUT,
      { key: 'k', body: { ...write, expectedVersion: 2 } },
    ],
    ['delete', () => router.delete(meta, NS, 'k'), EntryPattern.DELETE, SecretEntryPattern.DELETE, { key: 'k' }],
    [
      'bulkGet',
      () => router.bulkGet(meta, NS, { keys: ['a'] }),
      EntryPattern.BULK_GET,
      SecretEntryPattern.BULK_GET,
      { body: { keys: ['a'] } },
    ],
    [
      'bulkSet',
      () => router.bulkSet(meta, NS, { entries: [{ key: 'a', ...write }] }),
      EntryPattern.BULK_SET,
      SecretEntryPattern.BULK_SET,
      { body: { entries: [{ key: 'a', ...write }] } },
    ],
    [
      'bulkDelete',
      () => router.bulkDelete(meta, NS, { keys: ['a'] }),
      EntryPattern.BULK_DELETE,
      SecretEntryPattern.BULK_DELETE,
      { body: { keys: ['a'] } },
    ],
  ] as const;

  it.each(calls)(
    '%s in a plain namespace: kv-entry, the request as before, no descriptor',
    async (name, call, plainPattern, _secretPattern, fields) => {
      describeNamespace.mockResolvedValue(plain);
      const result = await call();
      expect(describeNamespace).toHaveBeenCalledWith(meta, NS);
      expect(kvEntrySend).toHaveBeenCalledWith(plainPattern, { ...meta, namespaceId: NS, ...fields });
      expect(secretsSend).not.toHaveBeenCalled();
      if (name !== 'delete')
        expect(answerOf(name, result)).toEqual(READS.has(name) ? { from: 'kv-entry' } : { from: 'kv-entry', revision: 12 });
      if (READS.has(name)) expect(result).toMatchObject({ revision: '12' });
    },
  );

  it.each(calls)(
    '%s in a secret namespace: the secrets service, with the descriptor added',
    async (name, call, _plainPattern, secretPattern, fields) => {
      describeNamespace.mockResolvedValue(secret);
      const result = await call();
      expect(secretsSend).toHaveBeenCalledWith(secretPattern, { ...meta, namespaceId: NS, ...fields, namespace: secret });
      expect(kvEntrySend).not.toHaveBeenCalled();
      if (name !== 'delete')
        expect(answerOf(name, result)).toEqual(READS.has(name) ? { from: 'secrets' } : { from: 'secrets', revision: 5 });
      // A secret namespace's cursor: the descriptor's kv-entry revision, then the secrets service's.
      if (READS.has(name)) expect(result).toMatchObject({ revision: '3.5' });
    },
  );

  const secretOnly = [
    ['readVersion', () => router.readVersion(meta, NS, 'k', 3), SecretEntryPattern.GET, { key: 'k', version: 3 }],
    ['versions', () => router.versions(meta, NS, 'k', { limit: 2 }), SecretEntryPattern.VERSIONS, { key: 'k', query: { limit: 2 } }],
    ['rotate', () => router.rotate(meta, NS, 'k', { length: 40 }), SecretEntryPattern.ROTATE, { key: 'k', body: { length: 40 } }],
    ['rollback', () => router.rollback(meta, NS, 'k', { version: 1 }), SecretEntryPattern.ROLLBACK, { key: 'k', body: { version: 1 } }],
  ] as const;

  it.each(secretOnly)('%s in a secret namespace: the secrets service, with the descriptor', async (name, call, pattern, fields) => {
    describeNamespace.mockResolvedValue(secret);
    const answer = name === 'readVersion' ? { answer: { from: 'secrets' }, revision: '3.5' } : { from: 'secrets', revision: 5 };
    await expect(call()).resolves.toEqual(answer);
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

  describe('the entry cache', () => {
    const ANY_AGE = 60_000;
    const stored = (value: string) => ({ ...anEntry({ keyPath: 'a/b', value }), revision: 9 });

    it('serves a plain entry read twice from memory, after the namespace check each time', async () => {
      describeNamespace.mockResolvedValue(plain);
      kvEntrySend.mockResolvedValue(stored('v1'));
      await router.get(meta, NS, 'a/b', ANY_AGE);
      await expect(router.get(meta, NS, 'a/b', ANY_AGE)).resolves.toMatchObject({ answer: { value: 'v1' }, revision: '9' });
      expect(kvEntrySend).toHaveBeenCalledTimes(1);
      expect(describeNamespace).toHaveBeenCalledTimes(2);
    });

    it('asks kv-entry when the caller accepts no copy', async () => {
      describeNamespace.mockResolvedValue(plain);
      kvEntrySend.mockResolvedValue(stored('v1'));
      await router.get(meta, NS, 'a/b', ANY_AGE);
      await router.get(meta, NS, 'a/b');
      expect(kvEntrySend).toHaveBeenCalledTimes(2);
    });

    it('never keeps a secret', async () => {
      describeNamespace.mockResolvedValue(secret);
      secretsSend.mockResolvedValue(stored('s3cr3t'));
      await router.get(meta, NS, 'a/b', ANY_AGE);
      await router.get(meta, NS, 'a/b', ANY_AGE);
      expect(secretsSend).toHaveBeenCalledTimes(2);
      expect(cache.size).toBe(0);
    });

    const writes = [
      ['put', () => router.put(meta, NS, 'a/b', write)],
      ['delete', () => router.delete(meta, NS, 'a/b')],
      [
        'bulkSet',
        () =>
          router.bulkSet(meta, NS, {
            entries: [
              { key: 'x', ...write },
              { key: 'a/b', ...write },
            ],
          }),
      ],
      ['bulkDelete', () => router.bulkDelete(meta, NS, { keys: ['x', 'a/b'] })],
    ] as const;

    it.each(writes)('%s through this gateway evicts the keys it wrote, also when it fails', async (_name, call) => {
      describeNamespace.mockResolvedValue(plain);
      for (const outcome of ['succeeds', 'fails'] as const) {
        cache.invalidate(NS, 'a/b');
        kvEntrySend.mockReset().mockResolvedValueOnce(stored('v1'));
        await router.get(meta, NS, 'a/b', ANY_AGE);
        await router.get(meta, NS, 'a/b', ANY_AGE);
        expect(kvEntrySend).toHaveBeenCalledTimes(1);
        if (outcome === 'succeeds') kvEntrySend.mockResolvedValueOnce({});
        else kvEntrySend.mockRejectedValueOnce(new Error('timed out'));
        await call().catch(() => undefined);
        kvEntrySend.mockResolvedValueOnce(stored('v2'));
        await expect(router.get(meta, NS, 'a/b', ANY_AGE)).resolves.toMatchObject({ answer: { value: 'v2' }, revision: '9' });
      }
    });
  });
});
