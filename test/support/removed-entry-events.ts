import {
  BulkDeleteResult,
  BulkSetItem,
  BulkSetResult,
  EntryPutBody,
  EntryPutReply,
  KV_EVENTS_EXCHANGE,
  KvEvent,
  KvEventType,
  ValueType,
} from '@app/contracts';
import type { ChangeOrigin } from '@app/entry-store';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DataSource } from 'typeorm';
import { EventTap, TappedMessage } from './event-tap';

/**
 * Checks the events of writes and bulk deletes that removed expired entries before the sweep, and their
 * audit records: each kv.entry.expired is the system's (no request id or address, an EXPIRE record), names
 * the removed row's id and occurs with the write that follows it for the same key; every other event is a
 * WRITE of `writer`, with its request id and address.
 */
export async function expectRemovedEntryEvents(
  tap: EventTap,
  events: readonly TappedMessage[],
  removedIds: ReadonlyMap<string, string>,
  writer: { userId: string; requestId: string; clientAddress: string },
): Promise<void> {
  await tap.waitFor(() => events.every(({ body }) => tap.auditRecords().some((record) => record.id === body.id)));
  for (const [index, { body }] of events.entries()) {
    expect(validateSync(plainToInstance(KvEvent, body), { forbidUnknownValues: true })).toEqual([]);
    const record = tap.auditRecords().find((audit) => audit.id === body.id);
    if (body.type !== KvEventType.ENTRY_EXPIRED) {
      expect(record).toMatchObject({ action: 'WRITE', ...writer });
      continue;
    }
    expect(body).toMatchObject({ requestId: null, entryId: removedIds.get(String(body.keyPath)) });
    expect(record).toMatchObject({ action: 'EXPIRE', userId: 'system', success: true, requestId: null, clientAddress: null });
    const next = events[index + 1]?.body;
    if (next?.keyPath === body.keyPath) expect(body.occurredAt).toBe(next.occurredAt);
  }
}

/** One namespace of an entry service, its writes made as `admin` (the id the scenario's origin names). */
export interface NamespaceUnderTest {
  id: string;
  /** How many events on kv.events creating it published, before any write. */
  eventsOfCreation: number;
  put(key: string, body: EntryPutBody, origin: ChangeOrigin): Promise<EntryPutReply>;
  bulkSet(items: BulkSetItem[], origin: ChangeOrigin): Promise<BulkSetResult>;
  bulkDelete(keys: string[], origin: ChangeOrigin): Promise<BulkDeleteResult>;
}

/** What the scenario needs of kv-entry or secrets: a fresh namespace, the sweep, and where the entries are. */
export interface EntryServiceUnderTest {
  tap: EventTap;
  dataSource: DataSource;
  /** The table of the service's entries (`expires_at`, `namespace_id`, `key_path`). */
  entryTable: string;
  createNamespace(origin: ChangeOrigin): Promise<NamespaceUnderTest>;
  sweep(): Promise<number>;
}

/**
 * The scenario of both entry services: expired entries that a put, a put-if-absent, a bulk set (beside a
 * live key it updates) and a bulk delete remove before the sweep end with kv.entry.expired, just before the
 * write that replaces them; the replacement starts again at version 1; the sweep finds nothing left.
 */
export function itEndsExpiredEntriesThatWritesRemove(service: () => EntryServiceUnderTest): void {
  it('ends an expired entry that a write or a bulk delete removes before the sweep with kv.entry.expired, first', async () => {
    const { tap, dataSource, entryTable } = service();
    const origin = { actorId: 'admin', requestId: 'req-replaced', clientAddress: '10.9.8.6' };
    const planted = 'planted-value-7c2d';
    const value = { value: planted, valueType: ValueType.STRING };
    const bulk = [
      { key: 'bulk/1', ...value },
      { key: 'bulk/2', ...value },
    ];
    const ns = await service().createNamespace(origin);
    await ns.put('single', value, origin);
    await ns.put('single', value, origin);
    await ns.put('if-absent', value, origin);
    await ns.bulkSet(bulk, origin);
    await ns.put('gone', value, origin);
    const expiredRows: Array<{ id: string; key_path: string }> = await dataSource.query(
      `WITH expired AS (UPDATE ${entryTable} SET expires_at = now() - interval '1 second' WHERE namespace_id = $1 AND key_path <> 'bulk/2' RETURNING id, key_path)
       SELECT * FROM expired`,
      [ns.id],
    );

    await expect(ns.put('single', value, origin)).resolves.toMatchObject({ created: true, entry: { version: 1 } });
    await expect(ns.put('if-absent', { ...value, expectedVersion: 0 }, origin)).resolves.toMatchObject({
      created: true,
      entry: { version: 1 },
    });
    expect((await ns.bulkSet(bulk, origin)).items.map(({ keyPath, version }) => [keyPath, version])).toEqual([
      ['bulk/1', 1],
      ['bulk/2', 2],
    ]);
    await expect(ns.bulkDelete(['gone', 'never'], origin)).resolves.toEqual({ deleted: [], missing: ['gone', 'never'] });
    await expect(service().sweep()).resolves.toBe(0);

    const ofNamespace = () => tap.on(KV_EVENTS_EXCHANGE).filter(({ body }) => body.namespaceId === ns.id);
    // After the namespace's own events and those of the six writes before the rows expired.
    const before = ns.eventsOfCreation + 6;
    await tap.waitFor(() => ofNamespace().length >= before + 8);
    const removing = ofNamespace().slice(before);
    expect(removing.map(({ body }) => [body.type, body.keyPath, body.version, body.actor])).toEqual([
      ['kv.entry.expired', 'single', 2, 'system'],
      ['kv.entry.created', 'single', 1, 'admin'],
      ['kv.entry.expired', 'if-absent', 1, 'system'],
      ['kv.entry.created', 'if-absent', 1, 'admin'],
      ['kv.entry.expired', 'bulk/1', 1, 'system'],
      ['kv.entry.created', 'bulk/1', 1, 'admin'],
      ['kv.entry.updated', 'bulk/2', 2, 'admin'],
      ['kv.entry.expired', 'gone', 1, 'system'],
    ]);
    await expectRemovedEntryEvents(tap, removing, new Map(expiredRows.map((row) => [row.key_path, row.id])), {
      userId: 'admin',
      requestId: origin.requestId,
      clientAddress: origin.clientAddress,
    });
    expect(tap.messages.some(({ raw }) => raw.includes(planted))).toBe(false);
  });
}
