import { randomUUID } from 'node:crypto';
import { BulkDeleteResult, KvEvent, KvEventType, SYSTEM_ACTOR } from '@app/contracts';
import { expiredUnderLockSql } from '../entries/ttl';
import { Change, ChangeOrigin, directOrigin } from './change';
import { EventFacts, EventFactsSql, SQL_CLOCK_ISO, kvEventOf, kvEventSql, sqlLiteral } from './event-envelope';

/** What changed; the other facts of its event (id, time, origin) are added by `kvEvent`. */
export type ChangeFacts = Pick<EventFacts, 'type' | 'applicationId' | 'namespaceId'> &
  Partial<Pick<EventFacts, 'entryId' | 'keyPath' | 'version'>>;

type OriginFacts = Pick<EventFacts, 'actorId' | 'requestId'>;

function originFacts(origin: ChangeOrigin): OriginFacts {
  return { actorId: origin.actorId, requestId: origin.requestId };
}

/** The sweep's origin, the system with no request (nor client address), and its facts as SQL. */
const SYSTEM_ORIGIN = directOrigin({ id: SYSTEM_ACTOR });
const SYSTEM_FACTS = originFacts(SYSTEM_ORIGIN);
const SYSTEM_ORIGIN_SQL = { actorId: sqlLiteral(SYSTEM_FACTS.actorId), requestId: sqlLiteral(SYSTEM_FACTS.requestId) };

export function kvEvent(facts: ChangeFacts, origin: ChangeOrigin, occurredAt: Date = new Date()): KvEvent {
  return kvEventOf({
    eventId: randomUUID(),
    type: facts.type,
    occurredAt: occurredAt.toISOString(),
    applicationId: facts.applicationId,
    namespaceId: facts.namespaceId,
    entryId: facts.entryId ?? null,
    keyPath: facts.keyPath ?? null,
    version: facts.version ?? null,
    ...originFacts(origin),
  });
}

/** `kv.entry.created` for a first version, `kv.entry.updated` otherwise. */
export function entryWrittenType(version: number): KvEventType {
  return version === 1 ? KvEventType.ENTRY_CREATED : KvEventType.ENTRY_UPDATED;
}

/**
 * The `kv.entry.expired` of an expired entry that a caller's change removed before the sweep did (a write
 * to its key, a bulk delete): the sweep's event, by the system, at the time of that change.
 */
export function expiredEvent(facts: Omit<ChangeFacts, 'type'>, occurredAt: Date): KvEvent {
  return kvEvent({ type: KvEventType.ENTRY_EXPIRED, ...facts }, SYSTEM_ORIGIN, occurredAt);
}

/** The namespace of an entry, as its events name it. */
interface EventNamespace {
  id: string;
  applicationId: string;
}

/** An entry row a delete removed; `live` when it had not expired. */
export interface RemovedEntry {
  id: string;
  keyPath: string;
  version: number;
  live: boolean;
}

/** A RemovedEntry's columns from the `RETURNING *` of a delete of either service's entry table, judged when it was locked. */
export const REMOVED_ENTRY_COLUMNS = `id, key_path AS "keyPath", version, NOT ${expiredUnderLockSql('expires_at')} AS live`;

function removedFacts(namespace: EventNamespace, entry: Omit<RemovedEntry, 'live'>): Omit<ChangeFacts, 'type'> {
  return {
    applicationId: namespace.applicationId,
    namespaceId: namespace.id,
    entryId: entry.id,
    keyPath: entry.keyPath,
    version: entry.version,
  };
}

/** The `kv.entry.deleted` of an entry a caller deleted. */
export function deletedEvent(namespace: EventNamespace, entry: Omit<RemovedEntry, 'live'>, origin: ChangeOrigin): KvEvent {
  return kvEvent({ type: KvEventType.ENTRY_DELETED, ...removedFacts(namespace, entry) }, origin);
}

/**
 * A bulk delete of `keys` that removed `rows`: a live row is deleted (the caller's kv.entry.deleted); an
 * expired one is reported missing, as it was already absent, but its entry still ends, as the sweep would have said.
 */
export function bulkDeletion(
  namespace: EventNamespace,
  keys: readonly string[],
  rows: readonly RemovedEntry[],
  origin: ChangeOrigin,
): Change<BulkDeleteResult> {
  const live = rows.filter((row) => row.live);
  const deleted = new Set(live.map((row) => row.keyPath));
  const now = new Date();
  return {
    result: { deleted: keys.filter((key) => deleted.has(key)), missing: keys.filter((key) => !deleted.has(key)) },
    events: live.map((row) => deletedEvent(namespace, row, origin)),
    expired: rows.filter((row) => !row.live).map((row) => expiredEvent(removedFacts(namespace, row), now)),
  };
}

/**
 * Appends a `kv.entry.expired` event for every row of the CTE `expired(entry_id, namespace_id,
 * application_id, key_path, version)` and returns one row per event: the sweep deletes and records in one
 * statement. The event is `expiredEvent`'s, at the time of the statement.
 */
export const INSERT_EXPIRED_EVENTS_SQL = `
  INSERT INTO outbox_event (id, routing_key, event)
  SELECT event_id, ${sqlLiteral(KvEventType.ENTRY_EXPIRED)}, ${kvEventSql({
    eventId: 'event_id',
    type: sqlLiteral(KvEventType.ENTRY_EXPIRED),
    occurredAt: SQL_CLOCK_ISO,
    applicationId: 'application_id',
    namespaceId: 'namespace_id',
    entryId: 'entry_id',
    keyPath: 'key_path',
    version: 'version',
    ...SYSTEM_ORIGIN_SQL,
  })}
    FROM (SELECT gen_random_uuid() AS event_id, expired.* FROM expired ORDER BY namespace_id, key_path) AS item
  RETURNING 1`;

/** The facts every kv.entry.created/updated event of one write shares; the statement adds the rest per row. */
type SharedWriteFacts = Pick<EventFacts, 'occurredAt' | 'applicationId' | 'namespaceId'> & OriginFacts;

export interface WrittenEvents {
  facts: SharedWriteFacts;
  clientAddress: string | null;
}

export function writtenEvents(
  applicationId: string,
  namespaceId: string,
  origin: ChangeOrigin,
  occurredAt: Date = new Date(),
): WrittenEvents {
  return {
    facts: { occurredAt: occurredAt.toISOString(), applicationId, namespaceId, ...originFacts(origin) },
    clientAddress: origin.clientAddress,
  };
}

/** Where a one-statement change stores its outcome (see OutboxTransactions.runStatement); `null` for a call without an id. */
export interface OutcomeSlot {
  id: string;
  retentionSeconds: number;
  /** The call's deadline: checked once the statement has a connection, just before it is sent. */
  deadline: number | null;
}

/** The four parameters `appendingWrittenEventsSql` refers to, to go after the write's own. */
export const writtenEventParameters = (events: WrittenEvents, slot: OutcomeSlot | null): [string, string | null, string | null, number] => [
  JSON.stringify(events.facts),
  events.clientAddress,
  slot?.id ?? null,
  slot?.retentionSeconds ?? 0,
];

/**
 * `writeSql` (returning at least `id, key_path, version`) and its created/updated events as one statement: one transaction and
 * one round trip in autocommit, the events inserted after the write locked its rows (see OUTBOX_TABLE_V1); `$first` and
 * `$first + 1` are `writtenEventParameters`, as `$first + 2` and `$first + 3` (the statement also stores the rows it wrote as the
 * call's outcome, so that a second commit of the call fails on its key). `seenSql` selects `id, version` of the rows the write may
 * replace, as the statement's snapshot has them: one the write replaced as expired (at version 1, keeping its id) gets the sweep's
 * kv.entry.expired first, of the version seen, so consumers see the old entry end. The write must replace an expired row
 * only as it was seen (kv-entry's REPLACES_EXPIRED), or the version named would not be the one that ended.
 */
export function appendingWrittenEventsSql(writeSql: string, first: number, seenSql?: string): string {
  const shared = (fact: keyof SharedWriteFacts): string => `($${first}::jsonb ->> ${sqlLiteral(fact)})`;
  const event: EventFactsSql = {
    eventId: 'event_id',
    type: 'event_type',
    occurredAt: shared('occurredAt'),
    applicationId: shared('applicationId'),
    namespaceId: shared('namespaceId'),
    entryId: 'id',
    keyPath: 'key_path',
    version: 'version',
    actorId: `CASE WHEN expired THEN ${SYSTEM_ORIGIN_SQL.actorId} ELSE ${shared('actorId')} END`,
    requestId: `CASE WHEN expired THEN ${SYSTEM_ORIGIN_SQL.requestId} ELSE ${shared('requestId')} END`,
  };
  const replacedExpired =
    seenSql === undefined
      ? ''
      : `UNION ALL
       SELECT gen_random_uuid(), '${KvEventType.ENTRY_EXPIRED}', written.id, written.key_path, seen.version, true
         FROM written JOIN seen ON seen.id = written.id AND written.version = 1`;
  return `
  WITH ${seenSql === undefined ? '' : `seen AS (${seenSql}),`}
  written AS (${writeSql}),
  appended AS (
    INSERT INTO outbox_event (id, routing_key, event, client_address)
    SELECT event_id, event_type, ${kvEventSql(event)}, CASE WHEN NOT expired THEN $${first + 1} END
      FROM (SELECT gen_random_uuid() AS event_id,
                   CASE WHEN version = 1 THEN '${KvEventType.ENTRY_CREATED}' ELSE '${KvEventType.ENTRY_UPDATED}' END AS event_type,
                   id, key_path, version, false AS expired
              FROM written
            ${replacedExpired}) AS item
     ORDER BY key_path, NOT expired
  ),
  recorded AS (
    INSERT INTO request_outcome (id, outcome, expires_at)
    SELECT $${first + 2}::text, jsonb_set('{}'::jsonb, '{rows}', COALESCE((SELECT jsonb_agg(to_jsonb(written)) FROM written), '[]'::jsonb)),
           now() + make_interval(secs => $${first + 3}::integer)
     WHERE $${first + 2}::text IS NOT NULL
  )
  SELECT * FROM written`;
}
