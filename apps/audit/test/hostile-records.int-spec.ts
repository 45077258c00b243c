import { AUDIT_DEAD_LETTER_QUEUE, AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_HEADERS } from '../src/records/audit-record-consumer.service';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { AuditRecordsService } from '../src/records/audit-records.service';
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
import { anAuditor } from '../../../test/support/principals';

/** Records that must cost only themselves: one hostile record in a batch used to dead-letter the whole message. */
describe('hostile audit records, against RabbitMQ and Postgres', () => {
  let backends: AuditBackends;
  let instance: AuditInstance;
  let publisher: TestPublisher;

  beforeAll(async () => {
    backends = await createBackends();
    // Batches large enough that a whole broker message is stored in one transaction.
    instance = await startInstance(backends, { KV_AUDIT_BATCH_SIZE: '500' });
    publisher = await TestPublisher.open(backends.broker.url);
  });

  afterAll(async () => {
    await publisher?.close();
    await instance?.close();
    await backends?.drop();
  });

  beforeEach(async () => {
    await publisher.purge(AUDIT_DEAD_LETTER_QUEUE);
    await instance.dataSource.query('TRUNCATE audit_record');
    await instance.dataSource.query(`UPDATE audit_chain_head SET last_sequence = 0, last_hash = repeat('0', 64)`);
  });

  const verify = () => instance.moduleRef.get(AuditRecordsService).verify(anAuditor());
  const storedIds = async (): Promise<string[]> =>
    ((await instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence')) as Array<{ id: string }>).map((row) => row.id);
  const drained = () =>
    eventually(
      () => publisher.readyCount(AUDIT_RECORDS_QUEUE),
      (n) => n === 0,
    );

  it('one message mixing good and hostile records: every good one is stored, each hostile one alone is dead-lettered, the chain verifies', async () => {
    const good = Array.from({ length: 12 }, (_, i) => auditRecord({ userId: `bystander-${i % 3}` }));
    const hostile: unknown[] = [
      auditRecord({ userId: 'odd\u0000sub' }),
      auditRecord({ userId: 'odd\ud800sub' }),
      auditRecord({ keyPath: 'u/\udfff' }),
      { ...auditRecord(), success: 'yes' },
      { ...auditRecord(), namespaceId: 42 },
      [auditRecord()],
    ];
    const batch = [
      ...good.slice(0, 3),
      hostile[0],
      ...good.slice(3, 5),
      hostile[1],
      hostile[2],
      ...good.slice(5, 9),
      hostile[3],
      hostile[4],
      hostile[5],
      ...good.slice(9),
    ];
    const messageId = randomUUID();
    await publisher.publish(batch, messageId);

    const letters = await publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, hostile.length);
    await drained();
    expect(await eventually(storedIds, (ids) => ids.length === good.length)).toEqual(good.map((record) => record.id));
    expect(letters.map((letter) => letter.body)).toEqual(hostile);
    expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.index])).toEqual(hostile.map((record) => batch.indexOf(record)));
    expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.reason])).toEqual([
      'record 3: invalid userId',
      'record 6: invalid userId',
      'record 7: invalid keyPath',
      'record 12: invalid success',
      'record 13: invalid namespaceId',
      'record 14: not a JSON object',
    ]);
    expect(letters.every((letter) => letter.headers[DEAD_LETTER_HEADERS.messageId] === messageId)).toBe(true);
    expect(await verify()).toEqual({ ok: true, checked: good.length, firstBrokenSequence: null, reason: null, reanchored: [] });
  });

  it('a record the contract lets through but the database refuses costs only itself: the batch is halved down to it', async () => {
    const good = Array.from({ length: 40 }, () => auditRecord());
    // A valid ISO-8601 instant, and one JavaScript can date, but Postgres has no year 0 (SQLSTATE 22008).
    const refused = [auditRecord({ occurredAt: '0000-06-01T00:00:00.000Z' }), auditRecord({ occurredAt: '0000-01-01T00:00:00.000Z' })];
    const batch = [...good.slice(0, 7), refused[0]!, ...good.slice(7, 31), refused[1]!, ...good.slice(31)];
    await publisher.publish(batch);

    const letters = await publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, 2);
    await drained();
    expect(letters.map((letter) => (letter.body as { id: string }).id)).toEqual(refused.map((record) => record.id));
    expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.index])).toEqual([7, 32]);
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.reason]).toBe(`record ${refused[0]!.id} refused by the database (SQLSTATE 22008)`);
    expect(await eventually(storedIds, (ids) => ids.length === good.length)).toEqual(good.map((record) => record.id));
    expect(await verify()).toMatchObject({ ok: true, checked: good.length });
  });

  it('a mixed batch that comes twice stores nothing twice and dead-letters its hostile record once a time, nothing more', async () => {
    const good = Array.from({ length: 5 }, () => auditRecord());
    const batch = [...good, auditRecord({ userId: '\u0000' })];
    await publisher.publish(batch);
    await publisher.publish(batch);
    expect(await publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, 2)).toHaveLength(2);
    await drained();
    expect(await storedCount(instance.dataSource)).toBe(5);
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('hashes a record as Postgres stores it, so that it verifies even when storing changes it', async () => {
    const repository = instance.moduleRef.get(AuditRecordsRepository);
    // Past the contract, straight to the repository: the UTF-8 encoder writes each lone surrogate as U+FFFD.
    const changedByStorage = { ...auditRecord({ keyPath: 'u/\ud800', userId: 'odd\udfff' }), occurredAt: '0001-02-03T04:05:06.789Z' };
    await repository.append([auditRecord(), changedByStorage, auditRecord()], new Date());
    const rows: Array<{ key_path: string; user_id: string }> = await instance.dataSource.query(
      'SELECT key_path, user_id FROM audit_record WHERE id = $1',
      [changedByStorage.id],
    );
    expect(rows).toEqual([{ key_path: 'u/\ufffd', user_id: 'odd\ufffd' }]);
    expect(await verify()).toEqual({ ok: true, checked: 3, firstBrokenSequence: null, reason: null, reanchored: [] });
  });
});
