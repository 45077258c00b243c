import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { ENTRY_STATE_COLUMNS, EntryStateColumns, EntryStateRow, EntryTable } from '@app/entry-store';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/**
 * An entry of a plain namespace. The schema is owned by the migrations (the decorators mirror them, so
 * that `migration:generate` finds nothing to do); queries are hand-written SQL.
 */
@EntryTable('entry', { minVersion: 1 })
export class EntryEntity extends EntryStateColumns {
  @ManyToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id', foreignKeyConstraintName: 'entry_namespace_id_fkey' })
  namespace?: NamespaceEntity;
  @Column({ type: 'jsonb' }) value!: unknown;
  @Column({ type: 'int', default: 1 }) version!: number;
}

/** The columns of an `entry` row, listed: a prepared statement must not change its result when a column is added. */
export const ENTRY_COLUMNS = [...ENTRY_STATE_COLUMNS, 'value'] as const;

/** An `entry` row as `SELECT ${ENTRY_COLUMNS}` / `RETURNING ${ENTRY_COLUMNS}` gives it. */
export interface EntryRow extends EntryStateRow {
  value: unknown;
}

export function entryFromRow(row: EntryRow): EntryEntity {
  return Object.assign(new EntryEntity(), {
    id: row.id,
    namespaceId: row.namespace_id,
    keyPath: row.key_path,
    value: row.value,
    valueType: row.value_type,
    version: row.version,
    metadata: row.metadata,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
