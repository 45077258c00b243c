import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ENTRY_STATE_COLUMNS,
  HEAD_REVISION_SQL,
  rowsWithHead,
  withHeadRevisionSql,
  INSERT_EXPIRED_EVENTS_SQL,
  REMOVED_ENTRY_COLUMNS,
  expiredUnderLockSql,
  expiresAtSql,
  RemovedEntry,
  KeyListingQuery,
  KeyListingRow,
  KeyListingSource,
  keyListingStatement,
  liveSql,
} from '@app/entry-store';
import { preparedStatement, answersByPosition, queryPrepared, readsPerTurn } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import { NamespaceKeyRecord, NamespaceKeyRow, recordFromRow } from '../namespaces/secret-namespaces.repository';
import type { NewVersion } from '../versions/secret-versions.repository';
import { SealedEntryRow, SecretEntryRow } from './secret-entry.entity';

const LIVE = liveSql('e');

// Listed columns: Postgres refuses to run a prepared statement whose result a migration changed.
const SEALED_COLUMNS = `${ENTRY_STATE_COLUMNS.map((column) => `e.${column}`).join(', ')}, v.ciphertext`;

/** The current version's sealed value joins every read, so a read needs no second round trip. */
const SELECT_SEALED = `
  SELECT ${SEALED_COLUMNS}
    FROM secret_entry e
    JOIN secret_version v ON v.entry_id = e.id AND v.version = e.version`;

// A bulk read: the list of keys is one array parameter, so one plan serves every call.
const SEALED_LIVE_AMONG = preparedStatement(
  'secrets_live_among_with_head',
  withHeadRevisionSql(`${SELECT_SEALED} WHERE e.namespace_id = $1 AND e.key_path = ANY($2::text[]) AND ${LIVE}`),
);

type PrefixedKeyRow = { [C in keyof NamespaceKeyRow as `ns_${C}`]: NamespaceKeyRow[C] };

/**
 * Up to 100 single reads of a turn in one statement: per (namespace, key), in order, the key row (`ns_` columns; null if
 * it never held a secret) and the sealed live entry. LATERAL with `LIMIT 1` (ids and keys are unique) keeps each read
 * index lookups rather than hash joins over the tables (a table of a few pages may still be read whole).
 */
export const LIVE_ENTRIES_WITH_KEYS = preparedStatement(
  'secrets_get_with_keys',
  `SELECT r.position, ${HEAD_REVISION_SQL} AS head_revision, n.id AS ns_id, n.application_id AS ns_application_id, n.master_key_id AS ns_master_key_id,
          n.wrapped_data_key AS ns_wrapped_data_key, n.deleted_at AS ns_deleted_at,
          ${ENTRY_STATE_COLUMNS.map((column) => `s.${column}`).join(', ')}, s.ciphertext
     FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS r(namespace_id, key_path, position)
     LEFT JOIN LATERAL (
       SELECT id, application_id, master_key_id, wrapped_data_key, deleted_at FROM secret_namespace WHERE id = r.namespace_id LIMIT 1
     ) n ON true
     LEFT JOIN LATERAL (${SELECT_SEALED} WHERE e.namespace_id = n.id AND e.key_path = r.key_path AND ${LIVE} LIMIT 1) s ON true`,
);

interface SingleRead {
  namespaceId: string;
  keyPath: string;
}

export interface LoadedSecret {
  keyRecord: NamespaceKeyRecord | null;
  entry: SealedEntryRow | null;
  /** The change log's head as the read saw it (see HEAD_REVISION_SQL); 0 when the namespace never held a secret. */
  revision: number;
}

/**
 * Where a keys-only listing reads: live entries of a committed version (version 0 exists only inside its creating
 * transaction), from `secret_entry` alone, so that no ciphertext is ever read.
 */
export const SECRET_KEY_LISTING_SOURCE: KeyListingSource = { table: 'secret_entry', visible: [LIVE, 'e.version > 0'] };

/** A page of a keys-only listing and the change log's head as it saw them. */
export interface ListedSecretKeys {
  rows: KeyListingRow[];
  revision: number;
}

/** A page of a list and the change log's head as it saw them. */
export interface ListedSecrets {
  rows: SealedEntryRow[];
  revision: number;
}

/** A locked entry, and whether it had expired when locked (then it counts as absent and starts again at version 1). */
export interface LockedEntry {
  row: SecretEntryRow;
  expired: boolean;
}

/** A deleted live entry: what its `kv.entry.deleted` event names. */
export interface DeletedSecret {
  id: string;
  keyPath: string;
  version: number;
}

// Only rows live when locked count as deleted: an expired one was already absent.
const DELETED_LIVE = `SELECT id, key_path AS "keyPath", version FROM deleted WHERE NOT ${expiredUnderLockSql('expires_at')}`;

/** What a new current version sets on its entry besides the version's own number and type. */
export interface CurrentState {
  metadata: Record<string, unknown> | null;
  /** The entry's TTL from now, by the database's clock (null: no expiry); `keep` leaves its expiry as it is. */
  ttlSeconds: number | null | 'keep';
}

const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * The `secret_entry` table, in hand-written SQL scoped by `namespaceId`. Writes lock the entry's row
 * first (see `lockForWrite`), so concurrent writers of one key queue up and each sees the version the
 * previous one committed.
 */
@Injectable()
export class SecretEntriesRepository {
  /** Single reads asked in the same turn go to Postgres as one statement (see `readsPerTurn`). */
  private readonly singleReads = readsPerTurn((reads: readonly SingleRead[]) => this.findManyLiveWithKey(reads));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The namespace's key row (null if it never held a secret) and the live entry at `keyPath` with its
   * sealed value: a single read's whole lookup, batched with the other single reads of the turn.
   */
  findLiveWithKey(namespaceId: string, keyPath: string): Promise<LoadedSecret> {
    return this.singleReads({ namespaceId, keyPath });
  }

  private async findManyLiveWithKey(reads: readonly SingleRead[]): Promise<LoadedSecret[]> {
    const rows = await queryPrepared<SealedEntryRow & PrefixedKeyRow & { position: string; head_revision: string }>(
      this.dataSource,
      LIVE_ENTRIES_WITH_KEYS,
      [reads.map((read) => read.namespaceId), reads.map((read) => read.keyPath)],
    );
    return answersByPosition(
      reads.length,
      rows,
      (): LoadedSecret => ({ keyRecord: null, entry: null, revision: 0 }),
      ({
        position: _position,
        head_revision,
        ns_id,
        ns_application_id,
        ns_master_key_id,
        ns_wrapped_data_key,
        ns_deleted_at,
        ...entry
      }) => {
        // The key row's columns are null when the namespace never held a secret.
        if (ns_id === null) return undefined;
        const keyRecord = recordFromRow({
          id: ns_id,
          application_id: ns_application_id,
          master_key_id: ns_master_key_id,
          wrapped_data_key: ns_wrapped_data_key,
          deleted_at: ns_deleted_at,
        });
        return { keyRecord, entry: entry.id === null ? null : entry, revision: Number(head_revision) };
      },
    );
  }

  /** The entry's row without its value, if it is live; for the version history. */
  async findLiveRow(namespaceId: string, keyPath: string): Promise<SecretEntryRow | null> {
    const rows: SecretEntryRow[] = await this.dataSource.query(
      `SELECT e.* FROM secret_entry e WHERE e.namespace_id = $1 AND e.key_path = $2 AND e.version >= 1 AND ${LIVE}`,
      [namespaceId, keyPath],
    );
    return rows[0] ?? null;
  }

  /** One keyset page of live entries in byte order of their keys, under an escaped LIKE prefix. */
  async list(namespaceId: string, likePattern: string | null, afterKey: string | null, limit: number): Promise<ListedSecrets> {
    // Only placeholders are assembled here; every value goes in as a parameter.
    const parameters: unknown[] = [namespaceId];
    const parameter = (value: unknown): string => `$${parameters.push(value)}`;
    const conditions = ['e.namespace_id = $1', LIVE];
    if (likePattern !== null) conditions.push(`e.key_path LIKE ${parameter(likePattern)}`);
    if (afterKey !== null) conditions.push(`e.key_path > ${parameter(afterKey)}`);
    return rowsWithHead<SealedEntryRow>(
      await this.dataSource.query(
        withHeadRevisionSql(`${SELECT_SEALED} WHERE ${conditions.join(' AND ')} ORDER BY e.key_path LIMIT ${parameter(limit)}`),
        parameters,
      ),
    );
  }

  /** Keys and their state, never a value: see keyListingStatement. */
  async listKeys(namespaceId: string, query: KeyListingQuery): Promise<ListedSecretKeys> {
    const { sql, parameters } = keyListingStatement(SECRET_KEY_LISTING_SOURCE, namespaceId, query);
    return rowsWithHead<KeyListingRow>(await this.dataSource.query(withHeadRevisionSql(sql), parameters));
  }

  /** The live entries among `keyPaths`, in no particular order, and the change log's head as the same statement saw it. */
  async findManyLive(namespaceId: string, keyPaths: readonly string[]): Promise<{ rows: SealedEntryRow[]; revision: number }> {
    return rowsWithHead<SealedEntryRow>(
      await queryPrepared<SealedEntryRow & { head_revision: string }>(this.dataSource, SEALED_LIVE_AMONG, [namespaceId, keyPaths]),
    );
  }

  /**
   * Locks the entry's row for the rest of the transaction, creating it (at version 0) when absent: one statement, which
   * writes a row only for a new entry (an upsert would write a tuple on every write, to be written again by appendCurrent).
   * A concurrent creator of the same key waits on the unique index and then locks the committed row. A version-0 row is
   * never visible outside its transaction, so its placeholder type is never read.
   */
  async lockForWrite(namespaceId: string, keyPath: string, manager: EntityManager): Promise<LockedEntry> {
    const rows: Array<SecretEntryRow & { expired: boolean }> = await manager.query(
      // Expiry is judged once the lock is held (a CTE's own columns are computed before it waits for the lock).
      `WITH found AS (
         SELECT e.* FROM secret_entry e WHERE e.namespace_id = $1 AND e.key_path = $2 FOR UPDATE
       ), created AS (
         INSERT INTO secret_entry AS e (namespace_id, key_path, value_type) SELECT $1, $2, 'STRING' WHERE NOT EXISTS (SELECT 1 FROM found)
         ON CONFLICT (namespace_id, key_path) DO UPDATE SET version = e.version
         RETURNING e.*
       ), locked AS (
         SELECT * FROM found UNION ALL SELECT * FROM created
       )
       SELECT locked.*, ${expiredUnderLockSql('locked.expires_at')} AS expired FROM locked`,
      [namespaceId, keyPath],
    );
    const { expired, ...row } = rows[0]!;
    return { row, expired };
  }

  /**
   * Appends the sealed `version`, prunes what a cap of `keep` versions leaves out (null: no cap), and makes the version
   * current: one statement for the three. Version 1 is a new entry: its creation time restarts.
   */
  async appendCurrent(version: NewVersion, state: CurrentState, keep: number | null, manager: EntityManager): Promise<SecretEntryRow> {
    const rows: SecretEntryRow[] = await manager.query(
      `WITH appended AS (
         INSERT INTO secret_version (entry_id, version, ciphertext, value_type, change, reason, restored_from, actor_id)
         VALUES ($1, $2, $7, $3, $8, $9, $10, $11)
       ), pruned AS (
         DELETE FROM secret_version WHERE entry_id = $1 AND $12::integer IS NOT NULL AND version <= $2 - $12::integer
       ), updated AS (
         UPDATE secret_entry
            SET version = $2, value_type = $3, metadata = $4::jsonb, updated_at = now(),
                expires_at = CASE WHEN $6::boolean THEN expires_at ELSE ${expiresAtSql('$5')} END,
                created_at = CASE WHEN $2 = 1 THEN now() ELSE created_at END
          WHERE id = $1
         RETURNING *)
       SELECT * FROM updated`,
      [
        version.entryId,
        version.version,
        version.valueType,
        jsonOrNull(state.metadata),
        state.ttlSeconds === 'keep' ? null : state.ttlSeconds,
        state.ttlSeconds === 'keep',
        version.ciphertext,
        version.change,
        version.reason,
        version.restoredFrom,
        version.actorId,
        keep,
      ],
    );
    return rows[0]!;
  }

  /** Deletes the entry with its versions; the entry if it was live, else `null`. */
  async delete(namespaceId: string, keyPath: string, manager: EntityManager): Promise<DeletedSecret | null> {
    const rows: DeletedSecret[] = await manager.query(
      `WITH deleted AS (DELETE FROM secret_entry e WHERE e.namespace_id = $1 AND e.key_path = $2 AND e.version >= 1 RETURNING e.*)
       ${DELETED_LIVE}`,
      [namespaceId, keyPath],
    );
    return rows[0] ?? null;
  }

  /**
   * Deletes every entry among `keyPaths` in one statement, saying which were live. Rows are locked in key
   * order, the order bulk writes lock them in, so the two cannot deadlock.
   */
  async deleteMany(namespaceId: string, keyPaths: readonly string[], manager: EntityManager): Promise<RemovedEntry[]> {
    return manager.query(
      `WITH deleted AS (
         DELETE FROM secret_entry e
          WHERE e.id IN (
            SELECT id FROM secret_entry WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND version >= 1 ORDER BY key_path FOR UPDATE)
         RETURNING e.*)
       SELECT ${REMOVED_ENTRY_COLUMNS} FROM deleted ORDER BY key_path`,
      [namespaceId, keyPaths],
    );
  }

  /**
   * Deletes up to `batch` expired entries (and their versions), recording a `kv.entry.expired` event for
   * each in the same statement; rows a writer holds are left for the next sweep.
   */
  async deleteExpiredBatch(batch: number): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `WITH swept AS (
         DELETE FROM secret_entry
          WHERE id IN (SELECT id FROM secret_entry WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
            AND expires_at <= now()
         RETURNING id, namespace_id, key_path, version),
       expired AS (
         SELECT swept.id AS entry_id, swept.namespace_id, secret_namespace.application_id, swept.key_path, swept.version
           FROM swept JOIN secret_namespace ON secret_namespace.id = swept.namespace_id),
       recorded AS (${INSERT_EXPIRED_EVENTS_SQL})
       SELECT count(*)::int AS count FROM recorded`,
      [batch],
    );
    return rows[0]?.count ?? 0;
  }
}
