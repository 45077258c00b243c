import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** A namespace: a named set of entries inside one application. The schema is owned by the migrations (mirrored here). */
@Entity('namespace')
@Unique('namespace_application_id_name_key', ['applicationId', 'name'])
@Check('namespace_default_ttl_seconds_check', 'default_ttl_seconds IS NULL OR default_ttl_seconds > 0')
@Check('namespace_max_secret_versions_check', 'max_secret_versions IS NULL OR (is_secret AND max_secret_versions > 0)')
export class NamespaceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'application_id', type: 'text', collation: 'C' }) applicationId!: string;
  @Column({ type: 'text', collation: 'C' }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'is_secret', type: 'boolean', default: false }) isSecret!: boolean;
  @Column({ name: 'default_ttl_seconds', type: 'int', nullable: true }) defaultTtlSeconds!: number | null;
  /** Secret namespaces only: versions kept per entry (null: all). */
  @Column({ name: 'max_secret_versions', type: 'int', nullable: true }) maxSecretVersions!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** A `namespace` row as `SELECT *` / `RETURNING *` gives it. */
export interface NamespaceRow {
  id: string;
  application_id: string;
  name: string;
  description: string | null;
  is_secret: boolean;
  default_ttl_seconds: number | null;
  max_secret_versions: number | null;
  created_at: Date;
  updated_at: Date;
}

export function namespaceFromRow(row: NamespaceRow): NamespaceEntity {
  return Object.assign(new NamespaceEntity(), {
    id: row.id,
    applicationId: row.application_id,
    name: row.name,
    description: row.description,
    isSecret: row.is_secret,
    defaultTtlSeconds: row.default_ttl_seconds,
    maxSecretVersions: row.max_secret_versions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The columns of a `namespace` row, listed: a prepared statement must not change its result when a column is added. */
export const NAMESPACE_COLUMNS = [
  'id',
  'application_id',
  'name',
  'description',
  'is_secret',
  'default_ttl_seconds',
  'max_secret_versions',
  'created_at',
  'updated_at',
] as const;

/** A namespace row selected beside another table's columns, each column prefixed `ns_` (see PREFIXED_NAMESPACE_COLUMNS). */
export type PrefixedNamespaceRow = { [C in keyof NamespaceRow as `ns_${C}`]: NamespaceRow[C] };

/** The select list of a `namespace` aliased `n`, prefixed so that it can sit beside an entry's columns. */
export const PREFIXED_NAMESPACE_COLUMNS = NAMESPACE_COLUMNS.map((column) => `n.${column} AS ns_${column}`).join(', ');

export function namespaceFromPrefixedRow(row: PrefixedNamespaceRow): NamespaceEntity {
  return namespaceFromRow(Object.fromEntries(NAMESPACE_COLUMNS.map((column) => [column, row[`ns_${column}`]])) as unknown as NamespaceRow);
}
