import { randomUUID } from 'node:crypto';
import { ErrorCode, KvEventType, ValueType } from '@app/contracts';
import { ChangeLog, OutboxTransactions, appendToOutbox, directOrigin, kvEvent } from '@app/entry-store';
import { EntriesService } from '../src/entries/entries.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { anAdmin } from '../../../test/support/principals';

const str = (value: string) => ({ value, valueType: ValueType.STRING });

describe("kv-entry's change log", () => {
  const testbed = useKvEntryTestbed();
  const entries = providerOf(testbed, EntriesService);
  const namespaces = providerOf(testbed, NamespacesService);
  const changeLog = providerOf(testbed, ChangeLog);
  const changes = providerOf(testbed, OutboxTransactions);
  let nsId: string;
  const call = () => ({ actor: anAdmin(), namespaceId: nsId, requestId: `req-${randomUUID()}` });

  /** Until the relay has published (and logged) everything committed. */
  const relayed = async (): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const [{ n }] = await testbed.dataSource.query('SELECT count(*)::int AS n FROM outbox_event');
      if (n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the outbox was not relayed in time');
  };

  beforeEach(async () => {
    nsId = (await namespaces.create({ actor: anAdmin() }, { name: `ns-${randomUUID()}`, applicationId: 'billing' })).id;
    await relayed();
  });

  it('gives every change of concurrent writers, single and bulk, its own revision, with no gap, each change once', async () => {
    const before = await changeLog.headRevision();
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => entries.put(call(), `single/${i % 5}`, str(`v${i}`))),
      ...Array.from({ length: 5 }, (_, i) =>
        entries.bulkSet(
          call(),
          ['x', 'y', 'z'].map((key) => ({ key: `bulk/${key}${i}`, ...str('b') })),
        ),
      ),
    ]);
    await relayed();
    const page = await changeLog.page({ after: before, namespaceId: nsId, limit: 1000 });
    // The namespace's creation came before `before`; 20 puts and 15 bulk entries since.
    expect(page.changes.map((change) => change.revision)).toEqual(Array.from({ length: 35 }, (_, i) => before + 1 + i));
    expect(new Set(page.changes.map((change) => change.event.id)).size).toBe(35);
    expect(page).toMatchObject({ through: before + 35, head: before + 35 });
    const perKey = (key: string) => page.changes.filter((change) => change.event.keyPath === key).map((change) => change.event.version);
    expect(perKey('single/0')).toEqual([1, 2, 3, 4]);
  });

  it('a change that commits late gets a later revision than one logged before it, though its outbox row came first', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const origin = directOrigin(anAdmin());
    const late = testbed.dataSource.transaction(async (manager) => {
      await appendToOutbox(
        manager,
        [kvEvent({ type: KvEventType.ENTRY_CREATED, applicationId: 'billing', namespaceId: nsId, keyPath: 'late', version: 1 }, origin)],
        null,
      );
      await held;
    });
    await entries.put(call(), 'early', str('v'));
    await relayed();
    const early = (await changeLog.page({ after: 0, namespaceId: nsId, limit: 1000 })).changes.find((c) => c.event.keyPath === 'early')!;
    release();
    await late;
    await changes.run({ actor: anAdmin() }, async () => ({ result: null, events: [] }));
    await relayed();
    const page = await changeLog.page({ after: early.revision, namespaceId: nsId, limit: 1000 });
    expect(page.changes.map((change) => change.event.keyPath)).toEqual(['late']);
  });

  it('pages one namespace under a prefix, its namespace changes whatever the prefix', async () => {
    const before = await changeLog.headRevision();
    await entries.put(call(), 'app/a', str('v'));
    await entries.put(call(), 'other/b', str('v'));
    await namespaces.update(call(), { name: `renamed-${randomUUID()}`, applicationId: 'billing' });
    await relayed();
    const page = await changeLog.page({ after: before, namespaceId: nsId, prefix: 'app/', limit: 1000 });
    expect(page.changes.map((change) => [change.event.type, change.event.keyPath])).toEqual([
      [KvEventType.ENTRY_CREATED, 'app/a'],
      [KvEventType.NAMESPACE_UPDATED, null],
    ]);
    // A page of one change: it covers everything up to that change only.
    const first = await changeLog.page({ after: before, namespaceId: nsId, limit: 1 });
    expect(first.through).toBe(first.changes[0]!.revision);
  });

  it('reads report the revision they reflect: a lower bound the relay has reached', async () => {
    await entries.put(call(), 'k', str('v'));
    await relayed();
    const head = await changeLog.headRevision();
    expect((await entries.get(call(), 'k')).revision).toBe(head);
    expect((await entries.list(call(), {})).revision).toBe(head);
    expect((await entries.bulkGet(call(), ['k', 'absent'])).revision).toBe(head);
    expect((await namespaces.describe(call())).revision).toBe(head);
  });

  it('is pruned by count and by age; a point before what it keeps is REVISION_COMPACTED, and a point past its head INVALID_REVISION', async () => {
    for (let i = 0; i < 6; i += 1) await entries.put(call(), `p/${i}`, str('v'));
    await relayed();
    const head = await changeLog.headRevision();
    // By age: every change older than the retention goes (here: made old by hand).
    await testbed.dataSource.query(`UPDATE change_log SET logged_at = now() - interval '2 days' WHERE revision <= $1`, [head - 4]);
    await changeLog.prune();
    const [{ compacted_through: byAge }] = await testbed.dataSource.query('SELECT compacted_through::int FROM change_log_head');
    expect(byAge).toBe(head - 4);
    await expect(changeLog.page({ after: head - 5, namespaceId: nsId, limit: 10 })).rejects.toMatchObject({
      code: ErrorCode.REVISION_COMPACTED,
    });
    expect((await changeLog.page({ after: head - 4, namespaceId: nsId, limit: 10 })).changes).toHaveLength(4);
    await expect(changeLog.page({ after: head + 1, limit: 10 })).rejects.toMatchObject({ code: ErrorCode.INVALID_REVISION });
    expect(await testbed.dataSource.query('SELECT 1 FROM change_log WHERE revision <= $1', [head - 4])).toEqual([]);
  });
});

describe("kv-entry's change log, kept to a count", () => {
  const testbed = useKvEntryTestbed({ env: { KV_CHANGE_LOG_MAX_CHANGES: 3 } });
  const entries = providerOf(testbed, EntriesService);
  const namespaces = providerOf(testbed, NamespacesService);
  const changeLog = providerOf(testbed, ChangeLog);

  it('keeps the newest KV_CHANGE_LOG_MAX_CHANGES changes', async () => {
    const nsId = (await namespaces.create({ actor: anAdmin() }, { name: 'counted', applicationId: 'billing' })).id;
    for (let i = 0; i < 5; i += 1) await entries.put({ actor: anAdmin(), namespaceId: nsId }, `k${i}`, str('v'));
    const deadline = Date.now() + 10_000;
    while ((await changeLog.headRevision()) < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await changeLog.prune();
    const kept: Array<{ revision: string }> = await testbed.dataSource.query('SELECT revision FROM change_log ORDER BY revision');
    expect(kept.map((row) => Number(row.revision))).toEqual([4, 5, 6]);
  });
});
