import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { ValueType } from '@app/contracts';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/**
 * An entry of a plain namespace. The schema is owned by the migrations (the decorators mirror them, so
 * that `migration:generate` finds nothing to do); queries are hand-written SQL.
 */
@Entity('entry')
@Unique('entry_namespace_id_key_path_key', ['namespaceId', 'keyPath'])
@Index('entry_expires_at_idx', ['expiresAt'], { where: 'expires_at IS NOT NULL' })
@Check('entry_value_type_check', `value_type IN ('STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION')`)
@Check('entry_version_check', 'version >= 1')
export class EntryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'namespace_id', type: 'uuid' }) namespaceId!: string;
  @ManyToOne(() => NamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id', foreignKeyConstraintName: 'entry_namespace_id_fkey' })
  namespace?: NamespaceEntity;
  @Column({ name: 'key_path', type: 'text', collation: 'C' }) keyPath!: string;
  @Column({ type: 'jsonb' }) value!: unknown;
  @Column({ name: 'value_type', type: 'text' }) valueType!: ValueType;
  @Column({ type: 'int', default: 1 }) version!: number;
  @Column({ type: 'jsonb', nullable: true }) metadata!: Record<string, unknown> | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** An `entry` row as `SELECT *` / `RETURNING *` gives it (pg parses jsonb and timestamptz). */
/** The columns of an `entry` row, listed: a prepared statement must not change its result when a column is added. */
export const ENTRY_COLUMNS = [
  'id',
  'namespace_id',
  'key_path',
  'value',
  'value_type',
  'version',
  'metadata',
  'expires_at',
  'created_at',
  'updated_at',
] as const;

/** An `entry` row as `SELECT ${ENTRY_COLUMNS}` / `RETURNING ${ENTRY_COLUMNS}` gives it. */
export interface EntryRow {
  id: string;
  namespace_id: string;
  key_path: string;
  value: unknown;
  value_type: ValueType;
  version: number;
  metadata: Record<string, unknown> | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
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

/** An `entry` row as `to_jsonb` gives it (a stored outcome's rows): the timestamps are ISO text. */
export function entryFromJsonRow(row: unknown): EntryEntity {
  const json = row as Omit<EntryRow, 'expires_at' | 'created_at' | 'updated_at'> &
    Record<'expires_at' | 'created_at' | 'updated_at', string>;
  return entryFromRow({
    ...json,
    expires_at: json.expires_at === null ? null : new Date(json.expires_at),
    created_at: new Date(json.created_at),
    updated_at: new Date(json.updated_at),
  });
}
