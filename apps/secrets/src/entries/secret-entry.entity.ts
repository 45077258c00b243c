import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { EntryStateColumns, EntryStateRow, EntryTable } from '@app/entry-store';
import { SecretNamespaceEntity } from '../namespaces/secret-namespace.entity';

/**
 * The current state of a secret entry, without its value: the value of `version` is in `secret_version`.
 * The schema is owned by the migrations (the decorators mirror them); queries are hand-written SQL.
 */
@EntryTable('secret_entry', { minVersion: 0 })
export class SecretEntryEntity extends EntryStateColumns {
  @ManyToOne(() => SecretNamespaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id', foreignKeyConstraintName: 'secret_entry_namespace_id_fkey' })
  namespace?: SecretNamespaceEntity;
  @Column({ type: 'int', default: 0 }) version!: number;
}

/** A `secret_entry` row as `SELECT ${ENTRY_STATE_COLUMNS}` gives it. */
export type SecretEntryRow = EntryStateRow;

/** An entry with the sealed value of its current version. */
export interface SealedEntryRow extends SecretEntryRow {
  ciphertext: Buffer;
}
