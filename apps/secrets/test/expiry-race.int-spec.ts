import { ErrorCode, ValueType } from '@app/contracts';
import { useEventTap } from '../../../test/support/event-tap';
import { RacedEntries, eventsByKey, expiredVersions } from '../../../test/support/expiry-race';
import { providerOf } from '../../../test/support/service-testbed';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { SecretExpirySweeper } from '../src/expiry/secret-expiry-sweeper.service';
import { SecretVersionsService } from '../src/versions/secret-versions.service';
import { callIn, secretNamespace, useSecretsTestbed } from './secrets-testing';

const value = { value: 'planted-secret-race', valueType: ValueType.STRING };

describe('secrets: an entry that expires while a change of it waits on its lock', () => {
  const testbed = useSecretsTestbed();
  const tap = useEventTap(() => testbed.broker.url);
  const entries = providerOf(testbed, SecretEntriesService);
  const versions = providerOf(testbed, SecretVersionsService);
  const sweeper = providerOf(testbed, SecretExpirySweeper);

  it('ends it once, with kv.entry.expired, when its transaction began while it was live', async () => {
    const ns = secretNamespace();
    const call = callIn(ns, { requestId: 'req-race', clientAddress: '10.9.8.4' });
    const keys = ['put', 'put-if-version', 'rotate', 'rollback', 'bulk-set', 'bulk-delete', 'delete'];
    for (const key of keys) for (let i = 0; i < 2; i++) await entries.put(call, key, value);
    const raced = new RacedEntries(testbed.dataSource, 'secret_entry', ns.id, keys);

    await raced.expireIn(1500);
    const locks = await raced.holdLocks();
    await locks.start(() => entries.put(call, 'put', value));
    await locks.start(() => entries.put(call, 'put-if-version', { ...value, expectedVersion: 2 }));
    await locks.start(() => versions.rotate(call, 'rotate', {}));
    await locks.start(() => versions.rollback(call, 'rollback', { version: 1 }));
    await locks.start(() => entries.bulkSet(call, [{ key: 'bulk-set', ...value }]));
    await locks.start(() => entries.bulkDelete(call, ['bulk-delete']));
    await locks.start(() => entries.delete(call, 'delete'));
    // Every transaction began while the entries were live; each takes its lock only after every read stopped seeing them.
    expect(await raced.liveCount()).toBe(keys.length);
    await raced.untilExpired();
    await expect(sweeper.sweep()).resolves.toBe(0);

    expect(await locks.release()).toMatchObject([
      { status: 'fulfilled', value: { created: true, entry: { version: 1 } } },
      { status: 'rejected', reason: { code: ErrorCode.VERSION_CONFLICT } },
      { status: 'rejected', reason: { code: ErrorCode.ENTRY_NOT_FOUND } },
      { status: 'rejected', reason: { code: ErrorCode.ENTRY_NOT_FOUND } },
      { status: 'fulfilled', value: { items: [{ keyPath: 'bulk-set', version: 1 }] } },
      { status: 'fulfilled', value: { deleted: [], missing: ['bulk-delete'] } },
      { status: 'rejected', reason: { code: ErrorCode.ENTRY_NOT_FOUND } },
    ]);
    // The changes that did not remove their expired entry leave it to the sweep.
    await expect(sweeper.sweep()).resolves.toBe(4);

    const written = [
      ['kv.entry.created', 1, 'admin'],
      ['kv.entry.updated', 2, 'admin'],
      ['kv.entry.expired', 2, 'system'],
    ];
    const recreated = ['kv.entry.created', 1, 'admin'];
    expect(await eventsByKey(tap, ns.id, 23)).toEqual({
      put: [...written, recreated],
      'put-if-version': written,
      rotate: written,
      rollback: written,
      'bulk-set': [...written, recreated],
      'bulk-delete': written,
      delete: written,
    });
    expect(new Set(expiredVersions(tap, ns.id)).size).toBe(keys.length);
    expect(tap.messages.some(({ raw }) => raw.includes(value.value))).toBe(false);
  });
});
