import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ValueType } from '@app/contracts';
import {
  appendingWrittenEventsSql,
  HEAD_REVISION_SQL,
  rowsWithHead,
  withHeadRevisionSql,
  expiredUnderLockSql,
  expiresAtSql,
  INSERT_EXPIRED_EVENTS_SQL,
  assertBeforeDeadline,
  namespaceNotFound,
  OutcomeSlot,
  REMOVED_ENTRY_COLUMNS,
  RemovedEntry,
  KeyListingQuery,
  KeyListingRow,
  KeyListingSource,
  keyListingStatement,
  liveSql,
  writtenEventParameters,
  WrittenEvents,
} from '@app/entry-store';
import { isForeignKeyViolation, isSerializationFailure } from '@app/service-kit';
import { PreparedStatement, preparedStatement, answersByPosition, queryPrepared, readsPerTurn } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import {
  NAMESPACE_COLUMNS,
  NamespaceEntity,
  namespaceFromPrefixedRow,
  PREFIXED_NAMESPACE_COLUMNS,
  PrefixedNamespaceRow,
} from '../namespaces/namespace.entity';
import { ENTRY_COLUMNS, EntryEntity, EntryRow, entryFromRow } from './entry.entity';

/** What a write stores for one key; the TTL is already resolved (the entry's, else the namespace's), and the database's clock dates it. */
export interface StoredWrite {
  value: unknown;
  valueType: ValueType;
  metadata: Record<string, unknown> | null;
  ttlSeconds: number | null;
}

export interface KeyedWrite extends StoredWrite {
  keyPath: string;
}

const LIVE = liveSql();

// What every upsert that finds the key sets; `version` and `created_at` follow from whether it replaces an expired row.
const WRITTEN_OVER = `
    value      = EXCLUDED.value,
    value_type = EXCLUDED.value_type,
    metadata   = EXCLUDED.metadata,
    expires_at = EXCLUDED.expires_at,
    updated_at = now()`;

/**
 * Whether the upsert replaces an expired row `e`, judged under the row's lock (ON CONFLICT DO UPDATE locks it first). The
 * row must be the one the statement's snapshot saw (same xmin), whose version the kv.entry.expired names (see
 * appendingWrittenEventsSql); an expired row committed after the statement began (a write queued on the same lock) fails
 * the statement with a serialization failure, nothing written, for `writeWithEvents` to run it again on a new snapshot.
 */
const REPLACES_EXPIRED = `
  CASE WHEN ${expiredUnderLockSql('e.expires_at')}
       THEN CASE WHEN EXISTS (SELECT 1 FROM entry seen WHERE seen.id = e.id AND seen.xmin = e.xmin) THEN true
                 ELSE expired_entry_rewritten() END
       ELSE false END`;

/**
 * The update half of every unconditional upsert. An expired row counts as absent: writing it again starts a new entry
 * (version 1, new created_at). The sub-select judges REPLACES_EXPIRED once for both columns.
 */
const UPSERT_ON_CONFLICT = `
  ON CONFLICT (namespace_id, key_path) DO UPDATE SET ${WRITTEN_OVER},
    (version, created_at) = (SELECT CASE WHEN replaced THEN 1 ELSE e.version + 1 END, CASE WHEN replaced THEN now() ELSE e.created_at END
                               FROM (SELECT ${REPLACES_EXPIRED} AS replaced) AS judged)`;

const INSERT_ONE = `
  INSERT INTO entry AS e (namespace_id, key_path, value, value_type, metadata, expires_at)
  VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, ${expiresAtSql('$6')})`;

/** jsonb parameters go in as JSON text; a bare JS string would otherwise be sent as invalid JSON. */
const json = (value: unknown): string => JSON.stringify(value);
const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

function oneWriteParameters(namespaceId: string, keyPath: string, write: StoredWrite): unknown[] {
  return [namespaceId, keyPath, json(write.value), write.valueType, jsonOrNull(write.metadata), write.ttlSeconds];
}

/**
 * Up to 100 single reads of a turn in one statement (see `findLiveWithNamespace`): for each (namespace, key), in order, the
 * namespace and its live entry, if any. The lookups are LATERAL with `LIMIT 1` (ids and keys are unique) so that the planner
 * keeps per-read index lookups rather than hash joins over the tables (a table of a few pages may still be read whole).
 */
export const LIVE_ENTRIES_WITH_NAMESPACES = preparedStatement(
  'kv_entry_get_with_namespaces',
  `SELECT r.position, ${HEAD_REVISION_SQL} AS head_revision, ${PREFIXED_NAMESPACE_COLUMNS}, ${ENTRY_COLUMNS.map((column) => `e.${column}`).join(', ')}
     FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS r(namespace_id, key_path, position)
     LEFT JOIN LATERAL (SELECT ${NAMESPACE_COLUMNS.join(', ')} FROM namespace WHERE id = r.namespace_id LIMIT 1) n ON true
     LEFT JOIN LATERAL (
       SELECT ${ENTRY_COLUMNS.join(', ')} FROM entry
        WHERE namespace_id = n.id AND key_path = r.key_path AND ${LIVE}
        LIMIT 1
     ) e ON true`,
);

interface SingleRead {
  namespaceId: string;
  keyPath: string;
}

export interface LoadedEntry {
  namespace: NamespaceEntity | null;
  entry: EntryEntity | null;
  /** The change log's head as the read saw it (see HEAD_REVISION_SQL); 0 when the namespace is not there. */
  revision: number;
}

/** Where a keys-only listing reads: every live entry. */
export const ENTRY_KEY_LISTING_SOURCE: KeyListingSource = { table: 'entry', visible: [liveSql('e')] };

/** A page of a keys-only listing and the change log's head as it saw them. */
export interface ListedKeys {
  rows: KeyListingRow[];
  revision: number;
}

/** A page of a list and the change log's head as it saw them. */
export interface ListedEntries {
  entries: EntryEntity[];
  revision: number;
}

const ENTRY_NAMESPACE_FKEY = 'entry_namespace_id_fkey';

// Prepared statements list their columns: Postgres refuses to run one whose result a migration changed.
const RETURNED = ENTRY_COLUMNS.join(', ');

// A bulk read: the list of keys is one array parameter, so one plan serves every call.
export const LIVE_ENTRIES_AMONG = preparedStatement(
  'kv_entry_live_among_with_head',
  withHeadRevisionSql(`SELECT ${RETURNED} FROM entry WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND ${LIVE}`),
);

// The rows an upsert may replace, as its snapshot has them: those it replaces as expired end first (see appendingWrittenEventsSql).
const SEEN_ONE = 'SELECT id, version FROM entry WHERE namespace_id = $1 AND key_path = $2';
const SEEN_AMONG = 'SELECT id, version FROM entry WHERE namespace_id = $1 AND key_path = ANY($2::text[])';

// The single writes with their events, each one prepared statement (see `writeWithEvents`).
const UPSERT_ONE = preparedStatement(
  'kv_entry_upsert',
  appendingWrittenEventsSql(`${INSERT_ONE} ${UPSERT_ON_CONFLICT} RETURNING ${RETURNED}`, 7, SEEN_ONE),
);
const INSERT_ONE_IF_ABSENT = preparedStatement(
  'kv_entry_insert_if_absent',
  appendingWrittenEventsSql(
    `${INSERT_ONE} ON CONFLICT (namespace_id, key_path) DO UPDATE SET ${WRITTEN_OVER}, version = 1, created_at = now()
       WHERE ${REPLACES_EXPIRED}
     RETURNING ${RETURNED}`,
    7,
    SEEN_ONE,
  ),
);
const UPDATE_ONE_IF_VERSION = preparedStatement(
  'kv_entry_update_if_version',
  appendingWrittenEventsSql(
    // The entry is judged live once it is locked (the MATERIALIZED CTE is never folded into the query over it).
    `WITH locked AS MATERIALIZED (SELECT id, expires_at FROM entry WHERE namespace_id = $1 AND key_path = $2 AND version = $7 FOR UPDATE)
     UPDATE entry
        SET value = $3::jsonb, value_type = $4, metadata = $5::jsonb, expires_at = ${expiresAtSql('$6')},
            version = version + 1, updated_at = now()
      WHERE id = (SELECT id FROM locked WHERE NOT ${expiredUnderLockSql('expires_at')})
     RETURNING ${RETURNED}`,
    8,
  ),
);
const UPSERT_MANY = preparedStatement(
  'kv_entry_upsert_many',
  appendingWrittenEventsSql(
    `INSERT INTO entry AS e (namespace_id, key_path, value, value_type, metadata, expires_at)
     SELECT $1::uuid, item.key_path, item.value, item.value_type, item.metadata, ${expiresAtSql('item.ttl_seconds')}
       FROM unnest($2::text[], $3::jsonb[], $4::text[], $5::jsonb[], $6::integer[])
            AS item(key_path, value, value_type, metadata, ttl_seconds)
     ${UPSERT_ON_CONFLICT}
     RETURNING ${RETURNED}`,
    7,
    SEEN_AMONG,
  ),
);

/**
 * The `entry` table in hand-written SQL, one statement an operation, every method scoped by `namespaceId`; creates and
 * updates append their events in that statement (deletes run in OutboxTransactions.run). Row locks plus the WHERE re-check
 * under READ COMMITTED make the conditional writes safe against concurrent writers.
 */
@Injectable()
export class EntriesRepository {
  /** Single reads asked in the same turn go to Postgres as one statement (see `readsPerTurn`). */
  private readonly singleReads = readsPerTurn((reads: readonly SingleRead[]) => this.findManyLiveWithNamespace(reads));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The namespace and, when it holds one, the live entry at `keyPath`, for a single read, which checks
   * the namespace and returns the entry; batched with the other single reads of the turn.
   */
  findLiveWithNamespace(namespaceId: string, keyPath: string): Promise<LoadedEntry> {
    return this.singleReads({ namespaceId, keyPath });
  }

  private async findManyLiveWithNamespace(reads: readonly SingleRead[]): Promise<LoadedEntry[]> {
    const rows = await queryPrepared<EntryRow & PrefixedNamespaceRow & { position: string; head_revision: string }>(
      this.dataSource,
      LIVE_ENTRIES_WITH_NAMESPACES,
      [reads.map((read) => read.namespaceId), reads.map((read) => read.keyPath)],
    );
    return answersByPosition(
      reads.length,
      rows,
      (): LoadedEntry => ({ namespace: null, entry: null, revision: 0 }),
      // The namespace columns are null when no namespace has the id asked for.
      (row) =>
        row.ns_id === null
          ? undefined
          : {
              namespace: namespaceFromPrefixedRow(row),
              entry: row.id === null ? null : entryFromRow(row),
              revision: Number(row.head_revision),
            },
    );
  }

  /** Creates or replaces the entry, with its event; `version` 1 in the result means it was created. */
  async upsert(
    namespaceId: string,
    keyPath: string,
    write: StoredWrite,
    events: WrittenEvents,
    slot: OutcomeSlot | null = null,
  ): Promise<EntryEntity> {
    return (await this.writeWithEvents(UPSERT_ONE, oneWriteParameters(namespaceId, keyPath, write), events, slot))[0]!;
  }

  /** Creates the entry only if it is absent or expired, with its event; `null` when a live entry exists. */
  async insertIfAbsent(
    namespaceId: string,
    keyPath: string,
    write: StoredWrite,
    events: WrittenEvents,
    slot: OutcomeSlot | null = null,
  ): Promise<EntryEntity | null> {
    return (await this.writeWithEvents(INSERT_ONE_IF_ABSENT, oneWriteParameters(namespaceId, keyPath, write), events, slot))[0] ?? null;
  }

  /** Replaces a live entry only if it is at `version`, with its event; `null` otherwise. */
  async updateIfVersion(
    namespaceId: string,
    keyPath: string,
    version: number,
    write: StoredWrite,
    events: WrittenEvents,
    slot: OutcomeSlot | null = null,
  ): Promise<EntryEntity | null> {
    const parameters = [...oneWriteParameters(namespaceId, keyPath, write), version];
    return (await this.writeWithEvents(UPDATE_ONE_IF_VERSION, parameters, events, slot))[0] ?? null;
  }

  /**
   * A write and the events of what it wrote, as one statement whose event parameters follow the write's. A namespace deleted
   * after the caller authorized against it fails the write on the foreign key: nothing was written, and the namespace is gone.
   * REPLACES_EXPIRED's serialization failure wrote nothing either: the statement runs once more, on a snapshot that sees the row.
   */
  private async writeWithEvents(
    statement: PreparedStatement,
    parameters: unknown[],
    events: WrittenEvents,
    slot: OutcomeSlot | null = null,
  ): Promise<EntryEntity[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const rows = await queryPrepared<EntryRow>(this.dataSource, statement, [...parameters, ...writtenEventParameters(events, slot)], {
          beforeQuery: () => assertBeforeDeadline(slot?.deadline ?? null),
        });
        return rows.map(entryFromRow);
      } catch (error) {
        if (attempt === 1 && isSerializationFailure(error)) continue;
        if (isForeignKeyViolation(error, ENTRY_NAMESPACE_FKEY)) throw namespaceNotFound(events.facts.namespaceId);
        throw error;
      }
    }
  }

  /** Deletes the row; the deleted entry if it was live when locked (a deleted expired row was already absent), else `null`. */
  async delete(namespaceId: string, keyPath: string, manager: EntityManager = this.dataSource.manager): Promise<RemovedEntry | null> {
    const rows: RemovedEntry[] = await manager.query(
      `WITH deleted AS (DELETE FROM entry WHERE namespace_id = $1 AND key_path = $2 RETURNING *)
       SELECT ${REMOVED_ENTRY_COLUMNS} FROM deleted`,
      [namespaceId, keyPath],
    );
    return rows.find((row) => row.live) ?? null;
  }

  /**
   * One keyset page of live entries in key order (byte order: the column is COLLATE "C"), whose key
   * matches `likePattern` (an escaped prefix plus `%`) and comes after `afterKey`. The unique btree on
   * (namespace_id, key_path) serves both the prefix range and the order.
   */
  async list(namespaceId: string, likePattern: string | null, afterKey: string | null, limit: number): Promise<ListedEntries> {
    // Only placeholders are assembled here; every value goes in as a parameter.
    const parameters: unknown[] = [namespaceId];
    const parameter = (value: unknown): string => `$${parameters.push(value)}`;
    const conditions = ['namespace_id = $1', LIVE];
    if (likePattern !== null) conditions.push(`key_path LIKE ${parameter(likePattern)}`);
    if (afterKey !== null) conditions.push(`key_path > ${parameter(afterKey)}`);
    const { rows, revision } = rowsWithHead<EntryRow>(
      await this.dataSource.query(
        withHeadRevisionSql(`SELECT ${RETURNED} FROM entry WHERE ${conditions.join(' AND ')} ORDER BY key_path LIMIT ${parameter(limit)}`),
        parameters,
      ),
    );
    return { entries: rows.map(entryFromRow), revision };
  }

  /** Keys and their state, never a value: see keyListingStatement. */
  async listKeys(namespaceId: string, query: KeyListingQuery): Promise<ListedKeys> {
    const { sql, parameters } = keyListingStatement(ENTRY_KEY_LISTING_SOURCE, namespaceId, query);
    return rowsWithHead<KeyListingRow>(await this.dataSource.query(withHeadRevisionSql(sql), parameters));
  }

  /** The live entries among `keyPaths`, in no particular order, and the change log's head as the same statement saw it. */
  async findManyLive(
    namespaceId: string,
    keyPaths: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ entries: EntryEntity[]; revision: number }> {
    const { rows, revision } = rowsWithHead<EntryRow>(
      await queryPrepared<EntryRow & { head_revision: string }>(manager, LIVE_ENTRIES_AMONG, [namespaceId, keyPaths]),
    );
    return { entries: rows.map(entryFromRow), revision };
  }

  /** Upserts every write, with their events, in one statement (the keys must be distinct), with the single upsert's rules. */
  async upsertMany(
    namespaceId: string,
    writes: readonly KeyedWrite[],
    events: WrittenEvents,
    slot: OutcomeSlot | null = null,
  ): Promise<EntryEntity[]> {
    return this.writeWithEvents(
      UPSERT_MANY,
      [
        namespaceId,
        writes.map((write) => write.keyPath),
        writes.map((write) => json(write.value)),
        writes.map((write) => write.valueType),
        writes.map((write) => jsonOrNull(write.metadata)),
        writes.map((write) => write.ttlSeconds),
      ],
      events,
      slot,
    );
  }

  /** Deletes every row among `keyPaths` in one statement, saying which of them were live. */
  async deleteMany(
    namespaceId: string,
    keyPaths: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RemovedEntry[]> {
    return manager.query(
      `WITH deleted AS (
         DELETE FROM entry
          WHERE id IN (SELECT id FROM entry WHERE namespace_id = $1 AND key_path = ANY($2::text[]) ORDER BY key_path FOR UPDATE)
         RETURNING *)
       SELECT ${REMOVED_ENTRY_COLUMNS} FROM deleted ORDER BY key_path`,
      [namespaceId, keyPaths],
    );
  }

  /**
   * Deletes up to `batch` expired rows across all namespaces and records a `kv.entry.expired` event for
   * each in the same statement; returns how many. Rows locked by a writer are skipped (the next sweep
   * gets them), and the outer re-check keeps a row that a concurrent write revived.
   */
  async deleteExpiredBatch(batch: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: Array<{ count: number }> = await manager.query(
      `WITH swept AS (
         DELETE FROM entry
          WHERE ctid IN (SELECT ctid FROM entry WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
            AND expires_at <= now()
         RETURNING id, namespace_id, key_path, version),
       expired AS (
         SELECT swept.id AS entry_id, swept.namespace_id, namespace.application_id, swept.key_path, swept.version
           FROM swept JOIN namespace ON namespace.id = swept.namespace_id),
       recorded AS (${INSERT_EXPIRED_EVENTS_SQL})
       SELECT count(*)::int AS count FROM recorded`,
      [batch],
    );
    return rows[0]?.count ?? 0;
  }
}
