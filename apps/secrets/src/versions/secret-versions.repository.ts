import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SecretChange, ValueType } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { SecretVersionRow } from './secret-version.entity';

/** A version to append: the sealed value and why it exists. */
export interface NewVersion {
  entryId: string;
  version: number;
  ciphertext: Buffer;
  valueType: ValueType;
  change: SecretChange;
  reason: string | null;
  restoredFrom: number | null;
  actorId: string;
}

/**
 * The `secret_version` table: read, list newest first, forget. Versions are appended and pruned beyond a cap with the
 * change that makes them current (SecretEntriesRepository.appendCurrent); never updated.
 */
@Injectable()
export class SecretVersionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(entryId: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<SecretVersionRow | null> {
    const rows: SecretVersionRow[] = await manager.query('SELECT * FROM secret_version WHERE entry_id = $1 AND version = $2', [
      entryId,
      version,
    ]);
    return rows[0] ?? null;
  }

  /** One page of the history, newest first, before `beforeVersion`; the ciphertext is not read. */
  async list(entryId: string, beforeVersion: number | null, limit: number): Promise<Array<Omit<SecretVersionRow, 'ciphertext'>>> {
    return this.dataSource.query(
      `SELECT entry_id, version, value_type, change, reason, restored_from, actor_id, created_at
         FROM secret_version
        WHERE entry_id = $1 AND ($2::int IS NULL OR version < $2::int)
        ORDER BY version DESC LIMIT $3`,
      [entryId, beforeVersion, limit],
    );
  }

  /** Forgets an entry's whole history: it expired, and writing it again starts a new entry. */
  async deleteAll(entryId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM secret_version WHERE entry_id = $1', [entryId]);
  }
}
