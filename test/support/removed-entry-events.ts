import { KvEvent, KvEventType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
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
