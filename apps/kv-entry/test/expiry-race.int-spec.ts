import { ErrorCode, ValueType } from '@app/contracts';
import { useEventTap } from '../../../test/support/event-tap';
import { RacedEntries, eventsByKey, expiredVersions } from '../../../test/support/expiry-race';
import { anAdmin } from '../../../test/support/principals';
import { providerOf } from '../../../test/support/service-testbed';
import type { NamespaceCall } from '../src/kv-call';
import { EntriesService } from '../src/entries/entries.service';
import { EntryExpirySweeper } from '../src/expiry/expiry-sweeper.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';

/** The admin's calls through one gateway request. */
const request = { actor: anAdmin(), requestId: 'req-race', clientAddress: '10.9.8.5' };
const value = { value: 'x', valueType: ValueType.STRING };

describe('kv-entry: an entry that expires while a change of it waits on its lock', () => {
  const testbed = useKvEntryTestbed();
  const tap = useEventTap(() => testbed.broker.url);
  const entries = providerOf(testbed, EntriesService);
  const sweeper = providerOf(testbed, EntryExpirySweeper);
  const sweep = () => sweeper.sweep();

  /** A namespace whose `keys` are each written twice (version 2), and the call of its entries. */
  async function entriesAt(keys: string[]): Promise<{ raced: RacedEntries; call: NamespaceCall }> {
    const { id } = await testbed.moduleRef.get(NamespacesService).create(request, { name: `race-${keys[0]}`, applicationId: 'billing' });
    const call = { ...request, namespaceId: id };
    for (const key of keys) for (let i = 0; i < 2; i++) await entries.put(call, key, value);
    return { raced: new RacedEntries(testbed.dataSource, 'entry', id, keys), call };
  }

  it('ends it once, with kv.entry.expired, when its write, bulk write or delete began while it was live', async () => {
    const { raced, call } = await entriesAt(['put', 'put-if-version', 'bulk-set', 'bulk-delete', 'delete']);
    await raced.expireIn(1500);
    const locks = await raced.holdLocks();
    await locks.start(() => entries.put(call, 'put', value));
    await locks.start(() => entries.put(call, 'put-if-version', { ...value, expectedVersion: 2 }));
    await locks.start(() => entries.bulkSet(call, [{ key: 'bulk-set', ...value }]));
    await locks.start(() => entries.bulkDelete(call, ['bulk-delete']));
    await locks.start(() => entries.delete(call, 'delete'));
    // Every change began while the entries were live; they take the locks only after every read stopped seeing them.
    expect(await raced.liveCount()).toBe(5);
    await raced.untilExpired();
    await expect(sweep()).resolves.toBe(0);

    expect(await locks.release()).toMatchObject([
      { status: 'fulfilled', value: { created: true, entry: { version: 1 } } },
      { status: 'rejected', reason: { code: ErrorCode.VERSION_CONFLICT } },
      { status: 'fulfilled', value: { items: [{ keyPath: 'bulk-set', version: 1 }] } },
      { status: 'fulfilled', value: { deleted: [], missing: ['bulk-delete'] } },
      { status: 'rejected', reason: { code: ErrorCode.ENTRY_NOT_FOUND } },
    ]);
    // The changes that did not remove their expired entry leave it to the sweep.
    await expect(sweep()).resolves.toBe(2);

    const expired = ['kv.entry.expired', 2, 'system'];
    const written = [
      ['kv.entry.created', 1, 'admin'],
      ['kv.entry.updated', 2, 'admin'],
    ];
    expect(await eventsByKey(tap, call.namespaceId, 17)).toEqual({
      put: [...written, expired, ['kv.entry.created', 1, 'admin']],
      'put-if-version': [...written, expired],
      'bulk-set': [...written, expired, ['kv.entry.created', 1, 'admin']],
      'bulk-delete': [...written, expired],
      delete: [...written, expired],
    });
    expect(new Set(expiredVersions(tap, call.namespaceId)).size).toBe(5);
  });

  it('names each expired version once when writes queued on its lock replace it one after the other', async () => {
    const { raced, call } = await entriesAt(['queued']);
    await raced.expireIn(-1000);
    const locks = await raced.holdLocks();
    await locks.start(() => entries.put(call, 'queued', { ...value, ttlSeconds: 1 }));
    // The first write's TTL counts from its statement's start: its entry is expired once the second one takes it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await locks.start(() => entries.put(call, 'queued', value));

    expect(await locks.release()).toMatchObject([
      { status: 'fulfilled', value: { created: true, entry: { version: 1 } } },
      { status: 'fulfilled', value: { created: true, entry: { version: 1 } } },
    ]);
    await expect(sweep()).resolves.toBe(0);
    expect((await eventsByKey(tap, call.namespaceId, 6)).queued).toEqual([
      ['kv.entry.created', 1, 'admin'],
      ['kv.entry.updated', 2, 'admin'],
      ['kv.entry.expired', 2, 'system'],
      ['kv.entry.created', 1, 'admin'],
      ['kv.entry.expired', 1, 'system'],
      ['kv.entry.created', 1, 'admin'],
    ]);
    expect(new Set(expiredVersions(tap, call.namespaceId)).size).toBe(2);
  });
});
