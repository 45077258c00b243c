import { AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { anAuditor } from '../../../test/support/principals';
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
});
