import { randomUUID } from 'node:crypto';
import { KV_EVENT_SCHEMA_VERSION, KvEvent, KvEventType, MessageMeta, SYSTEM_ACTOR } from '@app/contracts';

/** Who caused a change and through which request: what an event and its audit record say about it. */
export interface ChangeOrigin {
  actorId: string;
  requestId: string | null;
  clientAddress: string | null;
}

export function changeOriginOf(meta: MessageMeta): ChangeOrigin {
  return { actorId: meta.actor.id, requestId: meta.requestId, clientAddress: meta.clientAddress ?? null };
}

/** What changed; the envelope fields (id, time, schema) are added by `kvEvent`. */
export interface ChangeFacts {
  type: KvEventType;
  applicationId: string;
  namespaceId: string;
  entryId?: string | null;
  keyPath?: string | null;
  version?: number | null;
}

export function kvEvent(facts: ChangeFacts, origin: ChangeOrigin, occurredAt: Date = new Date()): KvEvent {
  return {
    id: randomUUID(),
    type: facts.type,
    occurredAt: occurredAt.toISOString(),
    applicationId: facts.applicationId,
    namespaceId: facts.namespaceId,
    entryId: facts.entryId ?? null,
    keyPath: facts.keyPath ?? null,
    version: facts.version ?? null,
    actor: origin.actorId,
    requestId: origin.requestId,
    schemaVersion: KV_EVENT_SCHEMA_VERSION,
  };
}

/** `kv.entry.created` for a first version, `kv.entry.updated` otherwise. */
export function entryWrittenType(version: number): KvEventType {
  return version === 1 ? KvEventType.ENTRY_CREATED : KvEventType.ENTRY_UPDATED;
}

/** The origin of a change made without a gateway request (a test, a script): the actor alone. */
export function directOrigin(actor: { id: string }): ChangeOrigin {
  return { actorId: actor.id, requestId: null, clientAddress: null };
}

/**
 * Appends a `kv.entry.expired` event for every row of the CTE `expired(entry_id, namespace_id,
 * application_id, key_path, version)` and returns one row per event: the sweep deletes and records in one
 * statement. The envelope is built in SQL, field for field as `kvEvent` builds it.
 */
export const INSERT_EXPIRED_EVENTS_SQL = `
  INSERT INTO outbox_event (id, routing_key, event)
  SELECT event_id, '${KvEventType.ENTRY_EXPIRED}', jsonb_build_object(
           'id', event_id, 'type', '${KvEventType.ENTRY_EXPIRED}',
           'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'applicationId', application_id, 'namespaceId', namespace_id, 'entryId', entry_id, 'keyPath', key_path,
           'version', version, 'actor', '${SYSTEM_ACTOR}', 'requestId', NULL, 'schemaVersion', ${KV_EVENT_SCHEMA_VERSION})
    FROM (SELECT gen_random_uuid() AS event_id, expired.* FROM expired ORDER BY namespace_id, key_path) AS item
  RETURNING 1`;
