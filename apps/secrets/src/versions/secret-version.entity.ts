import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { SecretChange, ValueType } from '@app/contracts';
import { VALUE_TYPE_CHECK } from '@app/entry-store';
import { SecretEntryEntity } from '../entries/secret-entry.entity';

/** One value a secret entry had: sealed, bound to (namespace, key path, version), append-only. */
@Entity('secret_version')
@Check('secret_version_version_check', 'version >= 1')
@Check('secret_version_value_type_check', VALUE_TYPE_CHECK)
@Check('secret_version_change_check', `change IN ('CREATE', 'UPDATE', 'ROTATION', 'ROLLBACK')`)
export class SecretVersionEntity {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' }) entryId!: string;
  @ManyToOne(() => SecretEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'secret_version_entry_id_fkey' })
  entry?: SecretEntryEntity;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @Column({ type: 'bytea' }) ciphertext!: Buffer;
  @Column({ name: 'value_type', type: 'text' }) valueType!: ValueType;
  @Column({ type: 'text' }) change!: SecretChange;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'restored_from', type: 'int', nullable: true }) restoredFrom!: number | null;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A `secret_version` row as `SELECT *` gives it. */
export interface SecretVersionRow {
  entry_id: string;
  version: number;
  ciphertext: Buffer;
  value_type: ValueType;
  change: SecretChange;
  reason: string | null;
  restored_from: number | null;
  actor_id: string;
  created_at: Date;
}
