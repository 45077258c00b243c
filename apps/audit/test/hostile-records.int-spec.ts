import { AUDIT_DEAD_LETTER_QUEUE } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_HEADERS } from '../src/records/audit-record-consumer.service';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { auditRecord, eventually, useAuditConsumer } from './audit-testing';

/** Records that must cost only themselves: one hostile record in a batch used to dead-letter the whole message. */
describe('hostile audit records, against RabbitMQ and Postgres', () => {
  // Batches large enough that a whole broker message is stored in one transaction.
  const audit = useAuditConsumer({ KV_AUDIT_BATCH_SIZE: '500' });

  const storedIds = async (): Promise<string[]> =>
    ((await audit.instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence')) as Array<{ id: string }>).map(
      (row) => row.id,
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
    await audit.publisher.publish(batch, messageId);

    const letters = await audit.publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, hostile.length);
    await audit.drained();
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
    expect(await audit.verify()).toEqual({ ok: true, checked: good.length, firstBrokenSequence: null, reason: null, reanchored: [] });
  });

  it('a record the contract lets through but the database refuses costs only itself: the batch is halved down to it', async () => {
    const good = Array.from({ length: 40 }, () => auditRecord());
    // A valid ISO-8601 instant, and one JavaScript can date, but Postgres has no year 0 (SQLSTATE 22008).
    const refused = [auditRecord({ occurredAt: '0000-06-01T00:00:00.000Z' }), auditRecord({ occurredAt: '0000-01-01T00:00:00.000Z' })];
    const batch = [...good.slice(0, 7), refused[0]!, ...good.slice(7, 31), refused[1]!, ...good.slice(31)];
    await audit.publisher.publish(batch);

    const letters = await audit.publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, 2);
    await audit.drained();
    expect(letters.map((letter) => (letter.body as { id: string }).id)).toEqual(refused.map((record) => record.id));
    expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.index])).toEqual([7, 32]);
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.reason]).toBe(`record ${refused[0]!.id} refused by the database (SQLSTATE 22008)`);
    expect(await eventually(storedIds, (ids) => ids.length === good.length)).toEqual(good.map((record) => record.id));
    expect(await audit.verify()).toMatchObject({ ok: true, checked: good.length });
  });

  it('a mixed batch that comes twice stores nothing twice and dead-letters its hostile record once a time, nothing more', async () => {
    const good = Array.from({ length: 5 }, () => auditRecord());
    const batch = [...good, auditRecord({ userId: '\u0000' })];
    await audit.publisher.publish(batch);
    await audit.publisher.publish(batch);
    expect(await audit.publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, 2)).toHaveLength(2);
    await audit.drained();
    expect(await audit.storedCount()).toBe(5);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('hashes a record as Postgres stores it, so that it verifies even when storing changes it', async () => {
    const repository = audit.instance.moduleRef.get(AuditRecordsRepository);
    // Past the contract, straight to the repository: the UTF-8 encoder writes each lone surrogate as U+FFFD.
    const changedByStorage = { ...auditRecord({ keyPath: 'u/\ud800', userId: 'odd\udfff' }), occurredAt: '0001-02-03T04:05:06.789Z' };
    await repository.append([auditRecord(), changedByStorage, auditRecord()], new Date());
    const rows: Array<{ key_path: string; user_id: string }> = await audit.instance.dataSource.query(
      'SELECT key_path, user_id FROM audit_record WHERE id = $1',
      [changedByStorage.id],
    );
    expect(rows).toEqual([{ key_path: 'u/\ufffd', user_id: 'odd\ufffd' }]);
    expect(await audit.verify()).toEqual({ ok: true, checked: 3, firstBrokenSequence: null, reason: null, reanchored: [] });
  });
});
