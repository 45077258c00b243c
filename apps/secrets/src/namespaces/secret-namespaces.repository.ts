import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { WrappedDataKey } from '../crypto/envelope';

/** A namespace's key record: `null` key fields once it was purged. */
export interface NamespaceKeyRecord {
  id: string;
  /** Null only for a namespace whose key predates the column (see `recordApplication`). */
  applicationId: string | null;
  wrappedDataKey: WrappedDataKey | null;
  deleted: boolean;
}

export interface NamespaceKeyRow {
  id: string;
  application_id: string | null;
  master_key_id: string | null;
  wrapped_data_key: Buffer | null;
  deleted_at: Date | null;
}

export function recordFromRow(row: NamespaceKeyRow): NamespaceKeyRecord {
  return {
    id: row.id,
    applicationId: row.application_id,
    wrappedDataKey:
      row.master_key_id === null || row.wrapped_data_key === null
        ? null
        : { masterKeyId: row.master_key_id, wrapped: row.wrapped_data_key },
    deleted: row.deleted_at !== null,
  };
}

/** The `secret_namespace` table: data keys and tombstones. */
@Injectable()
export class SecretNamespacesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<NamespaceKeyRecord | null> {
    const rows: NamespaceKeyRow[] = await manager.query('SELECT * FROM secret_namespace WHERE id = $1', [id]);
    return rows.length === 0 ? null : recordFromRow(rows[0]!);
  }

  /** Stores a first data key for the namespace unless one (or a tombstone) exists; returns what is stored. */
  async insertIfAbsent(id: string, applicationId: string, key: WrappedDataKey): Promise<NamespaceKeyRecord> {
    const inserted: NamespaceKeyRow[] = await this.dataSource.query(
      `INSERT INTO secret_namespace (id, application_id, master_key_id, wrapped_data_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, applicationId, key.masterKeyId, key.wrapped],
    );
    // A concurrent first writer won: its row committed after this statement's snapshot, so read it anew.
    if (inserted.length === 1) return recordFromRow(inserted[0]!);
    const existing = await this.find(id);
    if (existing === null) throw new Error(`the data key of namespace ${id} vanished while it was being created`);
    return existing;
  }

  /**
   * Holds the namespace for a write transaction: `false` if it was purged. The share lock conflicts with
   * the purge's update, so a purge waits for the writes in flight and every later write sees the tombstone.
   * A namespace never written to has no row yet (its first write makes its data key): it is live, and empty.
   */
  async lockLive(id: string, manager: EntityManager): Promise<boolean> {
    const rows: Array<{ deleted_at: Date | null }> = await manager.query(
      'SELECT deleted_at FROM secret_namespace WHERE id = $1 FOR SHARE',
      [id],
    );
    return rows.length === 0 || rows[0]!.deleted_at === null;
  }

  /** Fills in the application of a namespace whose key was made before the column existed. */
  async recordApplication(id: string, applicationId: string): Promise<void> {
    await this.dataSource.query('UPDATE secret_namespace SET application_id = $2 WHERE id = $1 AND application_id IS NULL', [
      id,
      applicationId,
    ]);
  }

  /** Deletes every entry and version of the namespace and destroys its data key, leaving a tombstone. */
  async purge(id: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO secret_namespace (id, deleted_at) VALUES ($1, now())
         ON CONFLICT (id) DO UPDATE SET master_key_id = NULL, wrapped_data_key = NULL, deleted_at = coalesce(secret_namespace.deleted_at, now())`,
        [id],
      );
      const deleted: Array<{ count: number }> = await manager.query(
        // No write can hold these rows now (see lockLive); the order only keeps the locks predictable.
        `WITH gone AS (
           DELETE FROM secret_entry WHERE id IN (SELECT id FROM secret_entry WHERE namespace_id = $1 ORDER BY key_path FOR UPDATE)
           RETURNING 1)
         SELECT count(*)::int AS count FROM gone`,
        [id],
      );
      return deleted[0]?.count ?? 0;
    });
  }

  /** Live namespaces whose data key is not wrapped by `activeKeyId`, in id order after `afterId`. */
  async findWrappedByOtherKeys(activeKeyId: string, afterId: string | null, limit: number): Promise<NamespaceKeyRecord[]> {
    const rows: NamespaceKeyRow[] = await this.dataSource.query(
      `SELECT * FROM secret_namespace
        WHERE deleted_at IS NULL AND master_key_id <> $1 AND ($2::uuid IS NULL OR id > $2::uuid)
        ORDER BY id LIMIT $3`,
      [activeKeyId, afterId, limit],
    );
    return rows.map(recordFromRow);
  }

  /** Replaces a data key's wrapping, only if it is still the one that was read (a concurrent purge wins). */
  async replaceWrapping(id: string, from: WrappedDataKey, to: WrappedDataKey): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH updated AS (
         UPDATE secret_namespace SET master_key_id = $4, wrapped_data_key = $5
          WHERE id = $1 AND master_key_id = $2 AND wrapped_data_key = $3 AND deleted_at IS NULL
         RETURNING id)
       SELECT id FROM updated`,
      [id, from.masterKeyId, from.wrapped, to.masterKeyId, to.wrapped],
    );
    return rows.length === 1;
  }

  /** How many live namespaces each master key wraps, for the re-wrap command's report. */
  async countByMasterKey(): Promise<Array<{ masterKeyId: string; namespaces: number }>> {
    const rows: Array<{ master_key_id: string; count: number }> = await this.dataSource.query(
      `SELECT master_key_id, count(*)::int AS count FROM secret_namespace WHERE deleted_at IS NULL GROUP BY master_key_id ORDER BY master_key_id`,
    );
    return rows.map((row) => ({ masterKeyId: row.master_key_id, namespaces: row.count }));
  }
}
