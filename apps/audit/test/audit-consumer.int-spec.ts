import { AUDIT_DEAD_LETTER_QUEUE, AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { TcpProxy } from '../../../test/support/tcp-proxy';
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

describe('audit consumer against RabbitMQ and Postgres', () => {
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

  beforeEach(async () => {
    await instance.dataSource.query('TRUNCATE audit_record');
    await instance.dataSource.query(`UPDATE audit_chain_head SET last_sequence = 0, last_hash = repeat('0', 64)`);
  });

  const verify = () => instance.moduleRef.get(AuditRecordsService).verify(anAuditor());
  const deadLetters = () => publisher.readyCount(AUDIT_DEAD_LETTER_QUEUE);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('stores each record once even when it is published twice, and acknowledges every delivery', async () => {
    const records = Array.from({ length: 30 }, () => auditRecord());
    await publisher.publishAll(records);
    await publisher.publishAll(records.slice(0, 10));
    expect(
      await eventually(
        () => storedCount(instance.dataSource),
        (n) => n >= 30,
      ),
    ).toBe(30);
    await publisher.publishAll(records.slice(20));
    await eventually(
      () => publisher.readyCount(AUDIT_RECORDS_QUEUE),
      (n) => n === 0,
    );
    await settle();
    expect(await storedCount(instance.dataSource)).toBe(30);
    const ids: Array<{ id: string }> = await instance.dataSource.query('SELECT id FROM audit_record ORDER BY sequence');
    expect(new Set(ids.map((row) => row.id))).toEqual(new Set(records.map((record) => record.id)));
    expect(await verify()).toEqual({ ok: true, checked: 30, firstBrokenSequence: null, reason: null, reanchored: [] });
  });

  it('stores the records of a batch message, each once, also when the batch comes again', async () => {
    const before = await storedCount(instance.dataSource);
    const batch = Array.from({ length: 7 }, () => auditRecord());
    await publisher.publish(batch);
    await publisher.publish(batch);
    expect(
      await eventually(
        () => storedCount(instance.dataSource),
        (n) => n >= before + 7,
      ),
    ).toBe(before + 7);
    await eventually(
      () => publisher.readyCount(AUDIT_RECORDS_QUEUE),
      (n) => n === 0,
    );
    await settle();
    expect(await storedCount(instance.dataSource)).toBe(before + 7);
    expect((await verify()).ok).toBe(true);
  });

  it('dead-letters a message that is not JSON or not a valid record, and stores nothing of it', async () => {
    const before = await deadLetters();
    await publisher.publish('{"id": "truncated');
    await publisher.publish({ ...auditRecord(), action: 'NOT_AN_ACTION' });
    expect(await eventually(deadLetters, (n) => n === before + 2)).toBe(before + 2);
    await settle();
    expect(await storedCount(instance.dataSource)).toBe(0);
  });

  it('dead-letters only the record the database refuses, and stores the rest of its batch', async () => {
    const before = await deadLetters();
    const good = Array.from({ length: 5 }, () => auditRecord());
    // Valid for the contract, but Postgres has no year 0.
    const refused = auditRecord({ occurredAt: '0000-01-01T00:00:00.000Z' });
    await publisher.publishAll([good[0]!, good[1]!, refused, ...good.slice(2)]);
    expect(await eventually(deadLetters, (n) => n === before + 1)).toBe(before + 1);
    expect(
      await eventually(
        () => storedCount(instance.dataSource),
        (n) => n === 5,
      ),
    ).toBe(5);
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('stores records in batches that keep the chain valid (and measures the rate)', async () => {
    const records = Array.from({ length: 3000 }, () => auditRecord());
    const started = Date.now();
    await publisher.publishAll(records);
    expect(
      await eventually(
        () => storedCount(instance.dataSource),
        (n) => n === 3000,
        25_000,
      ),
    ).toBe(3000);
    const elapsed = Date.now() - started;
    const transactions: Array<{ n: number }> = await instance.dataSource.query(
      'SELECT count(DISTINCT recorded_at)::int AS n FROM audit_record',
    );
    console.log(
      `[audit] stored 3000 records in ${elapsed} ms (${Math.round(3000 / (elapsed / 1000))} records/s, published and stored), in ${transactions[0]!.n} transactions`,
    );
    expect(transactions[0]!.n).toBeLessThan(3000 / 5);
    const verifyStarted = Date.now();
    expect(await verify()).toMatchObject({ ok: true, checked: 3000 });
    console.log(`[audit] verified 3000 records in ${Date.now() - verifyStarted} ms`);
  });

  it('keeps one valid chain with two instances consuming the same queue into the same database', async () => {
    const second = await startInstance(backends);
    const appendsOf = (of: AuditInstance) => jest.spyOn(of.moduleRef.get(AuditRecordsRepository), 'append');
    const [firstAppends, secondAppends] = [appendsOf(instance), appendsOf(second)];
    try {
      const records = Array.from({ length: 2000 }, () => auditRecord());
      await Promise.all([publisher.publishAll(records.slice(0, 1000)), publisher.publishAll(records.slice(1000))]);
      expect(
        await eventually(
          () => storedCount(instance.dataSource),
          (n) => n === 2000,
          25_000,
        ),
      ).toBe(2000);
      const sequences: Array<{ min: string; max: string }> = await instance.dataSource.query(
        'SELECT min(sequence), max(sequence) FROM audit_record',
      );
      expect(sequences[0]).toEqual({ min: '1', max: '2000' });
      expect(firstAppends).toHaveBeenCalled();
      expect(secondAppends).toHaveBeenCalled();
      expect(await verify()).toMatchObject({ ok: true, checked: 2000 });
    } finally {
      firstAppends.mockRestore();
      await second.close();
    }
  });

  it('loses and dead-letters nothing while the database is away, and stores everything once it is back', async () => {
    const url = new URL(backends.database.url);
    const proxy = await TcpProxy.start(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    // The first instance stops consuming, so that only the one behind the proxy gets the records.
    await instance.close();
    const cutOff = await startInstance(backends, {}, url.toString());
    try {
      const before = await deadLetters();
      proxy.cut();
      const records = Array.from({ length: 50 }, () => auditRecord());
      await publisher.publishAll(records);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      proxy.restore();
      const counter = await startCounter(backends.database.url);
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
      expect(await deadLetters()).toBe(before);
    } finally {
      await cutOff.close();
      await proxy.close();
      instance = await startInstance(backends);
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
