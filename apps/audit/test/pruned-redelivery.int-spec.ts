import { AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { anAuditor } from '../../../test/support/principals';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { AuditRecordsService } from '../src/records/audit-records.service';
import { pruneAuditRecords } from '../src/retention/audit-pruner';
import {
  AuditBackends,
  AuditInstance,
  TestPublisher,
  auditRecord,
  createBackends,
  eventually,
  startInstance,
  storedCount,
} from './audit-testing';

const DAY_MS = 24 * 3600 * 1000;

describe('audit records redelivered after a prune', () => {
  let backends: AuditBackends;
  let instance: AuditInstance;
  let publisher: TestPublisher;

  beforeAll(async () => {
    backends = await createBackends();
    instance = await startInstance(backends);
    publisher = await TestPublisher.open(backends.broker.url);
  });

  afterAll(async () => {
    await publisher?.close();
    await instance?.close();
    await backends?.drop();
  });

  /** Waits until the consumer took everything published and settled it. */
  async function consumed(): Promise<void> {
    await eventually(
      () => publisher.readyCount(AUDIT_RECORDS_QUEUE),
      (n) => n === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  const storedIds = async (): Promise<string[]> =>
    (await instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence')).map((row: { id: string }) => row.id);

  it('never stores a pruned record again when it comes once more', async () => {
    const records = Array.from({ length: 10 }, () => auditRecord());
    await publisher.publishAll(records);
    expect(
      await eventually(
        () => storedCount(instance.dataSource),
        (n) => n >= 10,
      ),
    ).toBe(10);
    await expect(pruneAuditRecords(instance.dataSource, { cutoff: new Date(Date.now() + 1000), batchSize: 4 })).resolves.toMatchObject({
      pruned: 10,
    });

    const later = auditRecord();
    await publisher.publishAll([...records, later]);
    await consumed();
    expect(await storedIds()).toEqual([later.id]);
    expect(await instance.moduleRef.get(AuditRecordsService).verify(anAuditor())).toMatchObject({ ok: true, checked: 1 });
  });

  it('forgets pruned ids only beyond the horizon, and refuses every record that occurred before it, duplicate or not', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    const old = Array.from({ length: 3 }, () => auditRecord({ occurredAt: daysAgo(3) }));
    const recent = Array.from({ length: 3 }, () => auditRecord());
    await publisher.publishAll([...old, ...recent]);
    await eventually(
      () => storedIds(),
      (ids) => [...old, ...recent].every((record) => ids.includes(record.id)),
    );
    const horizon = new Date(Date.now() - DAY_MS);
    await pruneAuditRecords(instance.dataSource, { cutoff: new Date(Date.now() + 1000), batchSize: 100, forgetIdsBefore: horizon });
    const remembered = new Set((await instance.dataSource.query('SELECT id FROM audit_pruned_id')).map((row: { id: string }) => row.id));
    expect(recent.filter((record) => remembered.has(record.id))).toHaveLength(3);
    expect(old.filter((record) => remembered.has(record.id))).toHaveLength(0);
    // A prune with an earlier horizon never brings forgotten ids back into play.
    await pruneAuditRecords(instance.dataSource, { cutoff: new Date(), batchSize: 100, forgetIdsBefore: new Date(0) });
    expect(await instance.dataSource.query('SELECT forgotten_before FROM audit_pruned_id_horizon')).toEqual([
      { forgotten_before: horizon },
    ]);

    const repository = instance.moduleRef.get(AuditRecordsRepository);
    const lateButNew = auditRecord({ occurredAt: daysAgo(2) });
    const fresh = auditRecord();
    await expect(repository.append([...old, lateButNew, ...recent, fresh], new Date())).resolves.toEqual({ stored: 1, tooOld: 4 });
    await publisher.publishAll([...old, ...recent, auditRecord({ occurredAt: daysAgo(2) })]);
    await consumed();
    expect(await storedIds()).toEqual([fresh.id]);
  });
});
