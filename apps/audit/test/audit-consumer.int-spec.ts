import { TcpProxy } from '../../../test/support/tcp-proxy';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { pruneAuditRecords } from '../src/retention/audit-pruner';
import { AuditInstance, auditRecord, eventually, startInstance, useAuditConsumer } from './audit-testing';

const DAY_MS = 24 * 3600 * 1000;

describe('audit consumer against RabbitMQ and Postgres', () => {
  const audit = useAuditConsumer();

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('stores each record once even when it is published twice, and acknowledges every delivery', async () => {
    const records = Array.from({ length: 30 }, () => auditRecord());
    await audit.publisher.publishAll(records);
    await audit.publisher.publishAll(records.slice(0, 10));
    expect(await audit.storedOnce((n) => n >= 30)).toBe(30);
    await audit.publisher.publishAll(records.slice(20));
    await audit.drained();
    await settle();
    expect(await audit.storedCount()).toBe(30);
    const ids: Array<{ id: string }> = await audit.instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence');
    expect(new Set(ids.map((row) => row.id))).toEqual(new Set(records.map((record) => record.id)));
    expect(await audit.verify()).toEqual({ ok: true, checked: 30, firstBrokenSequence: null, reason: null, reanchored: [] });
  });

  it('stores the records of a batch message, each once, also when the batch comes again', async () => {
    const before = await audit.storedCount();
    const batch = Array.from({ length: 7 }, () => auditRecord());
    await audit.publisher.publish(batch);
    await audit.publisher.publish(batch);
    expect(await audit.storedOnce((n) => n >= before + 7)).toBe(before + 7);
    await audit.drained();
    await settle();
    expect(await audit.storedCount()).toBe(before + 7);
    expect((await audit.verify()).ok).toBe(true);
  });

  const storedIds = async (): Promise<string[]> =>
    (await audit.instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence')).map((row: { id: string }) => row.id);

  it('never stores a pruned record again when it comes once more', async () => {
    const records = Array.from({ length: 10 }, () => auditRecord());
    await audit.publisher.publishAll(records);
    expect(await audit.storedOnce((n) => n >= 10)).toBe(10);
    await expect(
      pruneAuditRecords(audit.instance.dataSource, { cutoff: new Date(Date.now() + 1000), batchSize: 4 }),
    ).resolves.toMatchObject({
      pruned: 10,
    });

    const later = auditRecord();
    await audit.publisher.publishAll([...records, later]);
    await audit.drained();
    await settle();
    expect(await storedIds()).toEqual([later.id]);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('forgets pruned ids only beyond the horizon, and refuses every record that occurred before it, duplicate or not', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    const old = Array.from({ length: 3 }, () => auditRecord({ occurredAt: daysAgo(3) }));
    const recent = Array.from({ length: 3 }, () => auditRecord());
    await audit.publisher.publishAll([...old, ...recent]);
    expect(await audit.storedOnce((n) => n >= 6)).toBe(6);
    const horizon = new Date(Date.now() - DAY_MS);
    const { dataSource } = audit.instance;
    await pruneAuditRecords(dataSource, { cutoff: new Date(Date.now() + 1000), batchSize: 100, forgetIdsBefore: horizon });
    const remembered = new Set((await dataSource.query('SELECT id FROM audit_pruned_id')).map((row: { id: string }) => row.id));
    expect(recent.filter((record) => remembered.has(record.id))).toHaveLength(3);
    expect(old.filter((record) => remembered.has(record.id))).toHaveLength(0);
    // A prune with an earlier horizon never brings forgotten ids back into play.
    await pruneAuditRecords(dataSource, { cutoff: new Date(), batchSize: 100, forgetIdsBefore: new Date(0) });
    expect(await dataSource.query('SELECT forgotten_before FROM audit_pruned_id_horizon')).toEqual([{ forgotten_before: horizon }]);

    const lateButNew = auditRecord({ occurredAt: daysAgo(2) });
    const fresh = auditRecord();
    await expect(
      audit.instance.moduleRef.get(AuditRecordsRepository).append([...old, lateButNew, ...recent, fresh], new Date()),
    ).resolves.toEqual({ stored: 1, tooOld: 4 });
    await audit.publisher.publishAll([...old, ...recent, auditRecord({ occurredAt: daysAgo(2) })]);
    await audit.drained();
    await settle();
    expect(await storedIds()).toEqual([fresh.id]);
  });

  it('dead-letters a message that is not JSON or not a valid record, and stores nothing of it', async () => {
    const before = await audit.deadLetters();
    await audit.publisher.publish('{"id": "truncated');
    await audit.publisher.publish({ ...auditRecord(), action: 'NOT_AN_ACTION' });
    expect(await audit.deadLettersOnce((n) => n === before + 2)).toBe(before + 2);
    await settle();
    expect(await audit.storedCount()).toBe(0);
  });

  it('dead-letters only the record the database refuses, and stores the rest of its batch', async () => {
    const before = await audit.deadLetters();
    const good = Array.from({ length: 5 }, () => auditRecord());
    // Valid for the contract, but Postgres has no year 0.
    const refused = auditRecord({ occurredAt: '0000-01-01T00:00:00.000Z' });
    await audit.publisher.publishAll([good[0]!, good[1]!, refused, ...good.slice(2)]);
    expect(await audit.deadLettersOnce((n) => n === before + 1)).toBe(before + 1);
    expect(await audit.storedOnce((n) => n === 5)).toBe(5);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('stores records in batches that keep the chain valid (and measures the rate)', async () => {
    const records = Array.from({ length: 3000 }, () => auditRecord());
    const started = Date.now();
    await audit.publisher.publishAll(records);
    expect(await audit.storedOnce((n) => n === 3000, 25_000)).toBe(3000);
    const elapsed = Date.now() - started;
    const transactions: Array<{ n: number }> = await audit.instance.dataSource.query(
      'SELECT count(DISTINCT recorded_at)::int AS n FROM audit_record',
    );
    console.log(
      `[audit] stored 3000 records in ${elapsed} ms (${Math.round(3000 / (elapsed / 1000))} records/s, published and stored), in ${transactions[0]!.n} transactions`,
    );
    expect(transactions[0]!.n).toBeLessThan(3000 / 5);
    const verifyStarted = Date.now();
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 3000 });
    console.log(`[audit] verified 3000 records in ${Date.now() - verifyStarted} ms`);
  });

  it('keeps one valid chain with two instances consuming the same queue into the same database', async () => {
    const second = await startInstance(audit.backends);
    const appendsOf = (of: AuditInstance) => jest.spyOn(of.moduleRef.get(AuditRecordsRepository), 'append');
    const [firstAppends, secondAppends] = [appendsOf(audit.instance), appendsOf(second)];
    try {
      const records = Array.from({ length: 2000 }, () => auditRecord());
      await Promise.all([audit.publisher.publishAll(records.slice(0, 1000)), audit.publisher.publishAll(records.slice(1000))]);
      expect(await audit.storedOnce((n) => n === 2000, 25_000)).toBe(2000);
      const sequences: Array<{ min: string; max: string }> = await audit.instance.dataSource.query(
        'SELECT min(sequence), max(sequence) FROM audit_record',
      );
      expect(sequences[0]).toEqual({ min: '1', max: '2000' });
      expect(firstAppends).toHaveBeenCalled();
      expect(secondAppends).toHaveBeenCalled();
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 2000 });
    } finally {
      firstAppends.mockRestore();
      await second.close();
    }
  });

  it('loses and dead-letters nothing while the database is away, and stores everything once it is back', async () => {
    const url = new URL(audit.backends.database.url);
    const proxy = await TcpProxy.start(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    // The first instance stops consuming, so that only the one behind the proxy gets the records.
    await audit.instance.close();
    const cutOff = await startInstance(audit.backends, {}, url.toString());
    try {
      const before = await audit.deadLetters();
      proxy.cut();
      const records = Array.from({ length: 50 }, () => auditRecord());
      await audit.publisher.publishAll(records);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      proxy.restore();
      const counter = await startCounter(audit.backends.database.url);
      try {
        expect(
          await eventually(
            () => counter.count(),
            (n) => n === 50,
            20_000,
          ),
        ).toBe(50);
      } finally {
        await counter.close();
      }
      expect(await audit.deadLetters()).toBe(before);
    } finally {
      await cutOff.close();
      await proxy.close();
      audit.instance = await startInstance(audit.backends);
    }
  });
});

/** Counts stored records over a connection of its own (the instance's may be the one cut off). */
async function startCounter(url: string): Promise<{ count(): Promise<number>; close(): Promise<void> }> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    count: async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_record')).rows[0]!.n,
    close: () => client.end(),
  };
}
