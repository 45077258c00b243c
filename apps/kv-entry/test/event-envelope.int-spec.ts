import { randomUUID } from 'node:crypto';
import { KvEvent, KvEventType, ValueType } from '@app/contracts';
import { EventFacts, EventFactsSql, expiredEvent, kvEvent, kvEventOf, kvEventSql, writtenEvents } from '@app/entry-store';
import { DataSource } from 'typeorm';
import { ScratchDatabase } from '../../../test/support/scratch-database';
import { kvEntryDataSourceOptions } from '../src/database/data-source';
import { EntriesRepository, StoredWrite } from '../src/entries/entries.repository';
import { migratedScratchDatabaseOf } from '../../../test/support/service-testbed';
import { kvEntryService } from './kv-entry-testing';

interface OutboxRow {
  id: string;
  routing_key: string;
  client_address: string | null;
  text: string;
}

const origin = { actorId: 'admin', requestId: 'req-envelope', clientAddress: '10.4.5.6' };
const write: StoredWrite = { value: 'x', valueType: ValueType.STRING, metadata: null, ttlSeconds: null };

/**
 * The events the statements build in SQL against those kvEvent and expiredEvent build of the same change,
 * compared as the outbox stores them (jsonb text, which is what the relay publishes). Without a relay, so
 * that the rows stay to be read.
 */
describe('the event envelope, built in SQL and in TypeScript, against Postgres', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let entries: EntriesRepository;

  beforeAll(async () => {
    database = await migratedScratchDatabaseOf(kvEntryService);
    dataSource = await new DataSource(kvEntryDataSourceOptions(database.url)).initialize();
    entries = new EntriesRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function namespace(): Promise<string> {
    const rows: Array<{ id: string }> = await dataSource.query(
      `INSERT INTO namespace (application_id, name, is_secret) VALUES ('billing', $1, false) RETURNING id`,
      [`ns-${randomUUID()}`],
    );
    return rows[0]!.id;
  }

  const outbox = (namespaceId: string): Promise<OutboxRow[]> =>
    dataSource.query(
      `SELECT id, routing_key, client_address, event::text AS text FROM outbox_event WHERE event->>'namespaceId' = $1 ORDER BY sequence`,
      [namespaceId],
    );

  /** An event built in TypeScript as the outbox stores it. */
  async function stored(event: KvEvent): Promise<string> {
    const rows: Array<{ text: string }> = await dataSource.query('SELECT $1::jsonb::text AS text', [JSON.stringify(event)]);
    return rows[0]!.text;
  }

  const expire = (namespaceId: string, keyPath: string) =>
    dataSource.query(`UPDATE entry SET expires_at = now() - interval '1 second' WHERE namespace_id = $1 AND key_path = $2`, [
      namespaceId,
      keyPath,
    ]);

  it.each<[string, Omit<EventFacts, 'eventId'>]>([
    [
      'an entry event',
      {
        type: KvEventType.ENTRY_UPDATED,
        occurredAt: '2026-01-02T03:04:05.678Z',
        applicationId: 'billing',
        namespaceId: randomUUID(),
        entryId: randomUUID(),
        keyPath: "it's/a key",
        version: 7,
        actorId: 'user-1',
        requestId: 'req-1',
      },
    ],
    [
      'a namespace event without a request',
      {
        type: KvEventType.NAMESPACE_DELETED,
        occurredAt: '2026-01-02T03:04:05.000Z',
        applicationId: 'billing',
        namespaceId: randomUUID(),
        entryId: null,
        keyPath: null,
        version: null,
        actorId: 'system',
        requestId: null,
      },
    ],
  ])('kvEventSql builds from the facts of %s the event kvEventOf builds', async (_label, given) => {
    const facts: EventFacts = { eventId: randomUUID(), ...given };
    const names = Object.keys(facts) as Array<keyof EventFacts>;
    const parameters = Object.fromEntries(
      names.map((name, index) => [name, `$${index + 1}::${name === 'version' ? 'int' : 'text'}`]),
    ) as EventFactsSql;
    const rows: Array<{ text: string }> = await dataSource.query(
      `SELECT ${kvEventSql(parameters)}::text AS text`,
      names.map((name) => facts[name]),
    );
    expect(rows[0]!.text).toBe(await stored(kvEventOf(facts)));
  });

  it('a write, with the expired entry it replaces, stores the events kvEvent and expiredEvent make of it', async () => {
    const namespaceId = await namespace();
    const at = new Date('2026-01-02T03:04:05.678Z');
    const events = writtenEvents('billing', namespaceId, origin, at);
    const created = await entries.upsert(namespaceId, 'k', write, events);
    await entries.upsert(namespaceId, 'k', write, events);
    await expire(namespaceId, 'k');
    const replaced = await entries.insertIfAbsent(namespaceId, 'k', write, events);
    const [, m] = await entries.upsertMany(
      namespaceId,
      [
        { keyPath: 'k', ...write },
        { keyPath: 'm', ...write },
      ],
      events,
    );

    const facts = { applicationId: 'billing', namespaceId, entryId: created.id, keyPath: 'k' };
    const rows = await outbox(namespaceId);
    const expected: Array<[KvEvent, string | null]> = [
      [kvEvent({ type: KvEventType.ENTRY_CREATED, ...facts, version: 1 }, origin, at), origin.clientAddress],
      [kvEvent({ type: KvEventType.ENTRY_UPDATED, ...facts, version: 2 }, origin, at), origin.clientAddress],
      [expiredEvent({ ...facts, version: 2 }, at), null],
      [kvEvent({ type: KvEventType.ENTRY_CREATED, ...facts, entryId: replaced!.id, version: 1 }, origin, at), origin.clientAddress],
      [kvEvent({ type: KvEventType.ENTRY_UPDATED, ...facts, entryId: replaced!.id, version: 2 }, origin, at), origin.clientAddress],
      [kvEvent({ type: KvEventType.ENTRY_CREATED, ...facts, entryId: m!.id, keyPath: 'm', version: 1 }, origin, at), origin.clientAddress],
    ];
    expect(rows).toHaveLength(expected.length);
    for (const [index, row] of rows.entries()) {
      const [event, clientAddress] = expected[index]!;
      // The statement draws its own event ids.
      expect(row.text).toBe(await stored({ ...event, id: row.id }));
      expect([row.routing_key, row.client_address]).toEqual([event.type, clientAddress]);
    }
  });

  it('the sweep stores the events expiredEvent makes of the entries it removes, at the time it removed them', async () => {
    const namespaceId = await namespace();
    const events = writtenEvents('billing', namespaceId, origin);
    const removed = [await entries.upsert(namespaceId, 'a', write, events), await entries.upsert(namespaceId, 'b', write, events)];
    await entries.upsert(namespaceId, 'b', write, events);
    for (const key of ['a', 'b']) await expire(namespaceId, key);
    const before = Date.now();
    await expect(entries.deleteExpiredBatch(100)).resolves.toBe(2);

    const rows = (await outbox(namespaceId)).filter((row) => row.routing_key === KvEventType.ENTRY_EXPIRED);
    expect(rows).toHaveLength(2);
    for (const [index, row] of rows.entries()) {
      const occurredAt = new Date((JSON.parse(row.text) as KvEvent).occurredAt);
      expect(occurredAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const facts = {
        applicationId: 'billing',
        namespaceId,
        entryId: removed[index]!.id,
        keyPath: removed[index]!.keyPath,
        version: index + 1,
      };
      expect(row.text).toBe(await stored({ ...expiredEvent(facts, occurredAt), id: row.id }));
      expect(row.client_address).toBeNull();
    }
  });
});
