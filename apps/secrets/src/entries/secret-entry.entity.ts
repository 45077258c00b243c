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
import { SecretNamespaceEntity } from '../namespaces/secret-namespace.entity';

/**
 * The current state of a secret entry, without its value: the value of `version` is in `secret_version`.
 * The schema is owned by the migrations (the decorators mirror them); queries are hand-written SQL.
 */
@Entity('secret_entry')
@Unique('secret_entry_namespace_id_key_path_key', ['namespaceId', 'keyPath'])
@Index('secret_entry_expires_at_idx', ['expiresAt'], { where: 'expires_at IS NOT NULL' })
@Check('secret_entry_value_type_check', `value_type IN ('STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION')`)
@Check('secret_entry_version_check', 'version >= 0')
export class SecretEntryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'namespace_id', type: 'uuid' }) namespaceId!: string;
  @ManyToOne(() => SecretNamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id', foreignKeyConstraintName: 'secret_entry_namespace_id_fkey' })
  namespace?: SecretNamespaceEntity;
  @Column({ name: 'key_path', type: 'text', collation: 'C' }) keyPath!: string;
  @Column({ name: 'value_type', type: 'text' }) valueType!: ValueType;
  @Column({ type: 'int', default: 0 }) version!: number;
  @Column({ type: 'jsonb', nullable: true }) metadata!: Record<string, unknown> | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** A `secret_entry` row as `SELECT e.*` gives it. */
/** The columns of a `secret_entry` row, listed: a prepared statement must not change its result when a column is added. */
export const SECRET_ENTRY_COLUMNS = [
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

export interface SecretEntryRow {
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

/** An entry with the sealed value of its current version. */
export interface SealedEntryRow extends SecretEntryRow {
  ciphertext: Buffer;
}
