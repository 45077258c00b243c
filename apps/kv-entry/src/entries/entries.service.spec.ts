import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { BulkSetItem, ErrorCode, ValueType, decodeCursor, encodeCursor } from '@app/contracts';
import { OutboxTransactions, WrittenEvents } from '@app/entry-store';
import type { Principal } from '@app/permissions';
import { recordingOutbox } from '../../../../test/support/recording-outbox';
import type { NamespaceCall } from '../kv-call';
import { NamespaceAccess } from '../namespaces/namespace-access.service';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { NamespacesRepository } from '../namespaces/namespaces.repository';
import { EntriesRepository } from './entries.repository';
import { EntriesService } from './entries.service';
import { EntryEntity } from './entry.entity';
import { aPrincipal } from '../../../../test/support/principals';

const NS_ID = '3f0c2a5e-0000-4000-8000-00000000000a';
const MAX_VALUE_BYTES = 2048;
const writer = aPrincipal(['kv-entry:*', 'kv-namespace:read'], { id: 'w', applications: ['billing'] });
/** A call of `actor` in the namespace, as a test makes it: without a gateway request. */
const callBy = (actor: Principal): NamespaceCall => ({ actor, namespaceId: NS_ID });

const namespace = (overrides: Partial<NamespaceEntity> = {}) =>
  Object.assign(new NamespaceEntity(), {
    id: NS_ID,
    applicationId: 'billing',
    name: 'n',
    description: null,
    isSecret: false,
    defaultTtlSeconds: null,
    ...overrides,
  });

function entry(keyPath: string, version = 1): EntryEntity {
  return Object.assign(new EntryEntity(), {
    id: `id-${keyPath}`,
    namespaceId: NS_ID,
    keyPath,
    value: 'v',
    valueType: ValueType.STRING,
    version,
    metadata: null,
    expiresAt: null,
    createdAt: new Date('2024-05-01T00:00:00Z'),
    updatedAt: new Date('2024-05-01T00:00:00Z'),
  });
}

describe('EntriesService', () => {
  let service: EntriesService;
  const namespaces = { findById: jest.fn() };
  const entries = {
    findLiveWithNamespace: jest.fn(),
    upsert: jest.fn(),
    insertIfAbsent: jest.fn(),
    updateIfVersion: jest.fn(),
    delete: jest.fn(),
    list: jest.fn(),
    findManyLive: jest.fn(),
    upsertMany: jest.fn(),
    deleteMany: jest.fn(),
  };
  const { events: outboxEvents, changes } = recordingOutbox();

  beforeEach(async () => {
    namespaces.findById.mockReset().mockResolvedValue(namespace());
    Object.values(entries).forEach((mock) => mock.mockReset());
    outboxEvents.length = 0;
    changes.run.mockClear();
    changes.runStatement.mockClear();
    const moduleRef = await Test.createTestingModule({
      providers: [
        EntriesService,
        NamespaceAccess,
        { provide: NamespacesRepository, useValue: namespaces },
        { provide: EntriesRepository, useValue: entries },
        { provide: OutboxTransactions, useValue: changes },
        { provide: ConfigService, useValue: { get: (key: string) => (key === 'KV_MAX_VALUE_BYTES' ? MAX_VALUE_BYTES : undefined) } },
      ],
    }).compile();
    service = moduleRef.get(EntriesService);
  });

  describe('get', () => {
    it('maps a live entry, loaded with its namespace in one call', async () => {
      entries.findLiveWithNamespace.mockResolvedValue({ namespace: namespace(), entry: entry('a/b') });
      await expect(service.get(callBy(writer), 'a/b')).resolves.toMatchObject({ keyPath: 'a/b', version: 1 });
      expect(entries.findLiveWithNamespace).toHaveBeenCalledWith(NS_ID, 'a/b');
      expect(namespaces.findById).not.toHaveBeenCalled();
    });

    it('answers ENTRY_NOT_FOUND when absent or expired', async () => {
      entries.findLiveWithNamespace.mockResolvedValue({ namespace: namespace(), entry: null });
      await expect(service.get(callBy(writer), 'a')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    });

    it('answers NAMESPACE_NOT_FOUND when the namespace does not exist', async () => {
      entries.findLiveWithNamespace.mockResolvedValue({ namespace: null, entry: null });
      await expect(service.get(callBy(writer), 'a')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
    });

    it('answers INVALID_KEY before any lookup', async () => {
      await expect(service.get(callBy(writer), 'a//b')).rejects.toMatchObject({ code: ErrorCode.INVALID_KEY });
      expect(entries.findLiveWithNamespace).not.toHaveBeenCalled();
    });

    it('needs kv-entry:read, and then answers nothing of the entry', async () => {
      entries.findLiveWithNamespace.mockResolvedValue({ namespace: namespace(), entry: entry('a') });
      await expect(service.get(callBy({ ...writer, permissions: ['kv-entry:write'] }), 'a')).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-entry:read',
      });
    });

    it('refuses a secret namespace', async () => {
      entries.findLiveWithNamespace.mockResolvedValue({ namespace: namespace({ isSecret: true }), entry: null });
      await expect(service.get(callBy(writer), 'a')).rejects.toMatchObject({ code: ErrorCode.SECRET_NAMESPACE_UNSUPPORTED });
    });
  });

  describe('put', () => {
    const body = { value: 'v', valueType: ValueType.STRING };

    it('upserts, says created for version 1 and records kv.entry.created with the request origin', async () => {
      entries.upsert.mockResolvedValue(entry('k', 1));
      const call = { actor: writer, namespaceId: NS_ID, requestId: 'req-7', clientAddress: '10.0.0.9' };
      await expect(service.put(call, 'k', body)).resolves.toMatchObject({ created: true, entry: { version: 1 } });
      expect(changes.runStatement).toHaveBeenCalledTimes(1);
      expect(changes.runStatement.mock.calls[0]![0]).toBe(call); // the call itself reaches the change
      const events = entries.upsert.mock.calls[0]![3] as WrittenEvents;
      expect(events).toEqual({
        facts: expect.objectContaining({ applicationId: 'billing', namespaceId: NS_ID, actorId: writer.id, requestId: 'req-7' }),
        clientAddress: '10.0.0.9',
      });
      expect(JSON.stringify(events)).not.toContain('"v"');
    });

    it('says replaced for a later version (the statement itself records kv.entry.updated: see outbox.int-spec)', async () => {
      entries.upsert.mockResolvedValue(entry('k', 2));
      await expect(service.put(callBy(writer), 'k', body)).resolves.toMatchObject({ created: false });
    });

    it('uses the entry TTL, else the namespace default, else none', async () => {
      namespaces.findById.mockResolvedValue(namespace({ defaultTtlSeconds: 3600 }));
      entries.upsert.mockResolvedValue(entry('k'));
      await service.put(callBy(writer), 'k', { ...body, ttlSeconds: 10 });
      await service.put(callBy(writer), 'k', body);
      expect(entries.upsert.mock.calls.map((call) => call[2])).toMatchObject([{ ttlSeconds: 10 }, { ttlSeconds: 3600 }]);

      namespaces.findById.mockResolvedValue(namespace());
      await service.put(callBy(writer), 'k', body);
      expect(entries.upsert.mock.calls[2]![2]).toMatchObject({ ttlSeconds: null, metadata: null });
    });

    it('expectedVersion 0 inserts only if absent', async () => {
      entries.insertIfAbsent.mockResolvedValue(null);
      await expect(service.put(callBy(writer), 'k', { ...body, expectedVersion: 0 })).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
      });
      expect(entries.upsert).not.toHaveBeenCalled();
    });

    it('expectedVersion N updates only at version N, and the conflict does not reveal the value', async () => {
      entries.updateIfVersion.mockResolvedValue(null);
      const error = await service
        .put(callBy(writer), 'k', { value: 'planted-secret', valueType: ValueType.STRING, expectedVersion: 4 })
        .catch((e: unknown) => e);
      expect(entries.updateIfVersion).toHaveBeenCalledWith(
        NS_ID,
        'k',
        4,
        expect.anything(),
        expect.objectContaining({ clientAddress: null }),
        null,
      );
      expect(error).toMatchObject({ code: ErrorCode.VERSION_CONFLICT });
      expect((error as Error).message).toMatch(/expected version/);
      expect((error as Error).message).not.toContain('planted-secret');
    });

    it('answers INVALID_VALUE for a value that does not match its type', async () => {
      await expect(service.put(callBy(writer), 'k', { value: 'x', valueType: ValueType.NUMBER })).rejects.toMatchObject({
        code: ErrorCode.INVALID_VALUE,
      });
      expect(namespaces.findById).not.toHaveBeenCalled();
    });

    it('answers VALUE_TOO_LARGE past KV_MAX_VALUE_BYTES', async () => {
      await expect(
        service.put(callBy(writer), 'k', { value: 'x'.repeat(MAX_VALUE_BYTES), valueType: ValueType.STRING }),
      ).rejects.toMatchObject({
        code: ErrorCode.VALUE_TOO_LARGE,
      });
    });

    it('needs kv-entry:write', async () => {
      await expect(service.put(callBy({ ...writer, permissions: ['kv-entry:read'] }), 'k', body)).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-entry:write',
      });
      expect(entries.upsert).not.toHaveBeenCalled();
    });
  });

  describe('delete', () => {
    it('deletes a live entry and records kv.entry.deleted with its last version', async () => {
      entries.delete.mockResolvedValue({ id: 'id-k', keyPath: 'k', version: 3, live: true });
      await expect(service.delete(callBy(writer), 'k')).resolves.toEqual({ deleted: true });
      expect(outboxEvents).toEqual([
        expect.objectContaining({ type: 'kv.entry.deleted', entryId: 'id-k', keyPath: 'k', version: 3, actor: writer.id }),
      ]);
    });
    it('answers ENTRY_NOT_FOUND when nothing live was there', async () => {
      entries.delete.mockResolvedValue(null);
      await expect(service.delete(callBy(writer), 'k')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    });
    it('needs kv-entry:delete', async () => {
      await expect(service.delete(callBy({ ...writer, permissions: ['kv-entry:write'] }), 'k')).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });
  });

  describe('list', () => {
    it('escapes the prefix and pages with a look-ahead row', async () => {
      entries.list.mockResolvedValue({ entries: [entry('a%_1'), entry('a%_2'), entry('a%_3')], revision: 7 });
      const page = await service.list(callBy(writer), { prefix: 'a%_', limit: 2 });
      expect(page.revision).toBe(7);
      expect(entries.list).toHaveBeenCalledWith(NS_ID, 'a\\%\\_%', null, 3);
      expect(page.items.map((item) => item.keyPath)).toEqual(['a%_1', 'a%_2']);
      expect(decodeCursor(page.nextCursor!, 1)).toEqual(['a%_2']);
    });

    it('continues after the cursor key', async () => {
      entries.list.mockResolvedValue({ entries: [], revision: 7 });
      await expect(service.list(callBy(writer), { cursor: encodeCursor(['k']) })).resolves.toEqual({
        items: [],
        nextCursor: null,
        revision: 7,
      });
      expect(entries.list).toHaveBeenCalledWith(NS_ID, null, 'k', 101);
    });

    it('answers INVALID_CURSOR for a bad cursor', async () => {
      await expect(service.list(callBy(writer), { cursor: '!!' })).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
    });

    it('needs both kv-namespace:read and kv-entry:read', async () => {
      await expect(service.list(callBy({ ...writer, permissions: ['kv-entry:read'] }), {})).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:read',
      });
      await expect(service.list(callBy({ ...writer, permissions: ['kv-namespace:read'] }), {})).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-entry:read',
      });
    });
  });

  describe('bulk', () => {
    it('bulk-get answers in request order and lists the missing keys', async () => {
      entries.findManyLive.mockResolvedValue({ entries: [entry('c'), entry('a')], revision: 4 });
      await expect(service.bulkGet(callBy(writer), ['a', 'b', 'c'])).resolves.toMatchObject({
        items: [{ keyPath: 'a' }, { keyPath: 'c' }],
        missing: ['b'],
        revision: 4,
      });
    });

    it('bulk-get refuses duplicates before any lookup', async () => {
      await expect(service.bulkGet(callBy(writer), ['a', 'a'])).rejects.toMatchObject({ code: ErrorCode.DUPLICATE_KEY });
      expect(namespaces.findById).not.toHaveBeenCalled();
    });

    it('bulk-set validates every item before touching the database', async () => {
      const items: BulkSetItem[] = [
        { key: 'a', value: 'ok', valueType: ValueType.STRING },
        { key: 'b', value: 'nope', valueType: ValueType.BOOLEAN },
      ];
      await expect(service.bulkSet(callBy(writer), items)).rejects.toMatchObject({
        code: ErrorCode.INVALID_VALUE,
        message: expect.stringMatching(/^entries\[1\]: /),
      });
      expect(namespaces.findById).not.toHaveBeenCalled();
      expect(entries.upsertMany).not.toHaveBeenCalled();
    });

    it('bulk-set writes in one statement with its events and answers in request order', async () => {
      entries.upsertMany.mockResolvedValue([entry('b', 2), entry('a')]);
      const result = await service.bulkSet(callBy(writer), [
        { key: 'a', value: 'x', valueType: ValueType.STRING },
        { key: 'b', value: 'y', valueType: ValueType.STRING, ttlSeconds: 5 },
      ]);
      expect(entries.upsertMany).toHaveBeenCalledTimes(1);
      expect(entries.upsertMany).toHaveBeenCalledWith(
        NS_ID,
        [expect.objectContaining({ keyPath: 'a', ttlSeconds: null }), expect.objectContaining({ keyPath: 'b', ttlSeconds: 5 })],
        { facts: expect.objectContaining({ namespaceId: NS_ID, actorId: writer.id }), clientAddress: null },
        null,
      );
      expect(changes.runStatement).toHaveBeenCalledTimes(1);
      expect(result.items.map((item) => item.keyPath)).toEqual(['a', 'b']);
    });

    it('bulk-delete reports expired rows as missing', async () => {
      entries.deleteMany.mockResolvedValue([
        { id: 'id-a', keyPath: 'a', version: 1, live: true },
        { id: 'id-b', keyPath: 'b', version: 4, live: false },
      ]);
      await expect(service.bulkDelete(callBy(writer), ['a', 'b', 'c'])).resolves.toEqual({ deleted: ['a'], missing: ['b', 'c'] });
      expect(outboxEvents.map((event) => [event.type, event.keyPath])).toEqual([['kv.entry.deleted', 'a']]);
    });

    it('bulk-delete needs kv-entry:delete', async () => {
      await expect(service.bulkDelete(callBy({ ...writer, permissions: ['kv-entry:read'] }), ['a'])).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });
  });
});
