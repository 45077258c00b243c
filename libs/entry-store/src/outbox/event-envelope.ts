import { KV_EVENT_SCHEMA_VERSION, KvEvent, KvEventType } from '@app/contracts';

/** What an event states about one change, each fact named once for both builders below. */
export interface EventFacts {
  eventId: string;
  type: KvEventType;
  /** As `Date.toISOString` writes it (see SQL_CLOCK_ISO). */
  occurredAt: string;
  applicationId: string;
  namespaceId: string;
  entryId: string | null;
  keyPath: string | null;
  version: number | null;
  actorId: string;
  requestId: string | null;
}

type FactOfType<T> = { [F in keyof EventFacts]: EventFacts[F] extends T ? F : never }[keyof EventFacts];

/** How one field is filled: with a fact of the change, or with a constant of the schema. */
type FieldFill<T> = { readonly fact: FactOfType<T> } | { readonly constant: T };

/**
 * The event envelope, defined once: every field of a KvEvent, in order, and how it is filled. The
 * events built in TypeScript (`kvEventOf`) and those built in SQL (`kvEventSql`) both come from it, so a
 * field is added or renamed here only.
 */
export const KV_EVENT_ENVELOPE = {
  id: { fact: 'eventId' },
  type: { fact: 'type' },
  occurredAt: { fact: 'occurredAt' },
  applicationId: { fact: 'applicationId' },
  namespaceId: { fact: 'namespaceId' },
  entryId: { fact: 'entryId' },
  keyPath: { fact: 'keyPath' },
  version: { fact: 'version' },
  actor: { fact: 'actorId' },
  requestId: { fact: 'requestId' },
  schemaVersion: { constant: KV_EVENT_SCHEMA_VERSION },
} as const satisfies { readonly [K in keyof KvEvent]-?: FieldFill<KvEvent[K]> };

const ENVELOPE_FIELDS = Object.entries(KV_EVENT_ENVELOPE);

/** The event that states `facts`. */
export function kvEventOf(facts: EventFacts): KvEvent {
  const event: Record<string, unknown> = {};
  for (const [field, fill] of ENVELOPE_FIELDS) event[field] = 'fact' in fill ? facts[fill.fact] : fill.constant;
  return event as unknown as KvEvent;
}

/** One SQL expression per fact, over the columns and parameters of the statement that builds the events. */
export type EventFactsSql = { readonly [F in keyof EventFacts]: string };

/** The `jsonb_build_object(...)` of the event that states the facts these expressions give, row by row. */
export function kvEventSql(facts: EventFactsSql): string {
  const pairs = ENVELOPE_FIELDS.map(
    ([field, fill]) => `${sqlLiteral(field)}, ${'fact' in fill ? facts[fill.fact] : sqlLiteral(fill.constant)}`,
  );
  return `jsonb_build_object(${pairs.join(', ')})`;
}

/** A constant of ours as a SQL literal: a string quoted, a number as written, null as NULL. */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

/** The database's clock, written as `Date.toISOString` writes a time: `occurredAt` of an event timed by a statement. */
export const SQL_CLOCK_ISO = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
