import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { VALUE_TYPES, type ValueType } from '@app/contracts';

/** The check every table with a `value_type` column has, under a name of its own table's. */
export const VALUE_TYPE_CHECK = `value_type IN (${VALUE_TYPES.map((type) => `'${type}'`).join(', ')})`;

/**
 * An entry table (kv-entry's `entry`, the secrets service's `secret_entry`) with the constraints both
 * have, named as their migrations name them: one entry per key of a namespace, expiry indexed where set,
 * a known value type, and a version no lower than `minVersion`.
 */
export function EntryTable(table: string, { minVersion }: { minVersion: number }): ClassDecorator {
  const decorators = [
    Entity(table),
    Unique(`${table}_namespace_id_key_path_key`, ['namespaceId', 'keyPath']),
    Index(`${table}_expires_at_idx`, ['expiresAt'], { where: 'expires_at IS NOT NULL' }),
    Check(`${table}_value_type_check`, VALUE_TYPE_CHECK),
    Check(`${table}_version_check`, `version >= ${minVersion}`),
  ];
  return (target) => decorators.forEach((decorate) => decorate(target));
}

/**
 * The columns of an entry's current state, as both entry tables have them. Each table's entity extends
 * this with its namespace relation, its `version` (whose default differs) and its own columns.
 */
export abstract class EntryStateColumns {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'namespace_id', type: 'uuid' }) namespaceId!: string;
  @Column({ name: 'key_path', type: 'text', collation: 'C' }) keyPath!: string;
  @Column({ name: 'value_type', type: 'text' }) valueType!: ValueType;
  @Column({ type: 'jsonb', nullable: true }) metadata!: Record<string, unknown> | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/**
 * Those columns and `version`, listed for the select lists: a prepared statement must not change its
 * result when a column is added.
 */
export const ENTRY_STATE_COLUMNS = [
  'id',
  'namespace_id',
  'key_path',
  'value_type',
  'version',
  'metadata',
  'expires_at',
  'created_at',
  'updated_at',
] as const;

/** The row of ENTRY_STATE_COLUMNS as pg gives it (it parses jsonb and timestamptz). */
export interface EntryStateRow {
  id: string;
  namespace_id: string;
  key_path: string;
  value_type: ValueType;
  version: number;
  metadata: Record<string, unknown> | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
