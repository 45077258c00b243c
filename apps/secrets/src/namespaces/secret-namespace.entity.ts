import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A secret namespace as this service knows it: its wrapped data key. The namespace itself (name,
 * application, settings) belongs to the kv-entry service and arrives with each request as a descriptor.
 */
@Entity('secret_namespace')
@Check('secret_namespace_key_check', '(deleted_at IS NULL) = (master_key_id IS NOT NULL AND wrapped_data_key IS NOT NULL)')
export class SecretNamespaceEntity {
  @PrimaryColumn('uuid') id!: string;
  /** Named by the events of this namespace's entries, also those the expiry sweep writes. */
  @Column({ name: 'application_id', type: 'text', nullable: true }) applicationId!: string | null;
  @Column({ name: 'master_key_id', type: 'text', nullable: true }) masterKeyId!: string | null;
  @Column({ name: 'wrapped_data_key', type: 'bytea', nullable: true }) wrappedDataKey!: Buffer | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
}
