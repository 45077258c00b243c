import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { AuditAction } from '@app/contracts';

/**
 * One link of the audit hash chain. The schema is owned by the migrations (the decorators mirror them,
 * so that `migration:generate` finds nothing to do); queries are hand-written SQL. Never updated.
 */
@Entity('audit_record')
@Unique('audit_record_id_key', ['id'])
@Check('audit_record_sequence_check', 'sequence >= 1')
@Index('audit_record_namespace_id_sequence_idx', ['namespaceId', 'sequence'])
@Index('audit_record_namespace_id_key_path_sequence_idx', ['namespaceId', 'keyPath', 'sequence'])
@Index('audit_record_user_id_sequence_idx', ['userId', 'sequence'])
@Index('audit_record_action_sequence_idx', ['action', 'sequence'])
@Index('audit_record_application_id_sequence_idx', ['applicationId', 'sequence'])
@Index('audit_record_occurred_at_idx', ['occurredAt'])
export class AuditRecordEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_record_pkey' }) sequence!: string;
  @Column({ type: 'uuid' }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ type: 'text' }) action!: AuditAction;
  @Column({ type: 'boolean' }) success!: boolean;
  @Column({ name: 'user_id', type: 'text' }) userId!: string;
  @Column({ name: 'application_id', type: 'text', nullable: true }) applicationId!: string | null;
  @Column({ name: 'namespace_id', type: 'uuid', nullable: true }) namespaceId!: string | null;
  @Column({ name: 'entry_id', type: 'uuid', nullable: true }) entryId!: string | null;
  @Column({ name: 'key_path', type: 'text', collation: 'C', nullable: true }) keyPath!: string | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
  @Column({ name: 'client_address', type: 'text', nullable: true }) clientAddress!: string | null;
  @Column({ name: 'error_code', type: 'text', nullable: true }) errorCode!: string | null;
  @Column({ name: 'event_type', type: 'text', nullable: true }) eventType!: string | null;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash!: string;
  @Column({ type: 'text' }) hash!: string;
}

/** The one row that says where the chain ends. */
@Entity('audit_chain_head')
@Check('audit_chain_head_id_check', 'id = 1')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'audit_chain_head_pkey' }) id!: number;
  @Column({ name: 'last_sequence', type: 'bigint' }) lastSequence!: string;
  @Column({ name: 'last_hash', type: 'text' }) lastHash!: string;
}

/** The last record of a prune: verification starts after it. */
@Entity('audit_checkpoint')
export class AuditCheckpointEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_checkpoint_pkey' }) sequence!: string;
  @Column({ type: 'text' }) hash!: string;
  @Column({ name: 'records_pruned', type: 'bigint' }) recordsPruned!: string;
  @Column({ name: 'pruned_at', type: 'timestamptz', default: () => 'now()' }) prunedAt!: Date;
}

/** An operator's re-anchoring of a record whose stored text differs from what was hashed (reanchor.ts). */
@Entity('audit_reanchor')
export class AuditReanchorEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_reanchor_pkey' }) sequence!: string;
  @Column({ name: 'record_hash', type: 'text' }) recordHash!: string;
  @Column({ name: 'stored_hash', type: 'text' }) storedHash!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text' }) operator!: string;
  @Column({ name: 'reanchored_at', type: 'timestamptz', default: () => 'now()' }) reanchoredAt!: Date;
}

/** The id of a pruned record, remembered so that it is never stored again (see the AddAuditPrunedIds migration). */
@Entity('audit_pruned_id')
@Index('audit_pruned_id_occurred_at_idx', ['occurredAt'])
export class AuditPrunedIdEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'audit_pruned_id_pkey' }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
}

/** The one row that says which pruned ids are forgotten: those of records that occurred before `forgotten_before`. */
@Entity('audit_pruned_id_horizon')
@Check('audit_pruned_id_horizon_id_check', 'id = 1')
export class AuditPrunedIdHorizonEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'audit_pruned_id_horizon_pkey' }) id!: number;
  @Column({ name: 'forgotten_before', type: 'timestamptz' }) forgottenBefore!: Date;
}

/** An `audit_record` row as `SELECT *` gives it (pg returns bigint as a string, timestamptz as a Date). */
export interface AuditRecordRow {
  sequence: string;
  id: string;
  occurred_at: Date;
  recorded_at: Date;
  action: AuditAction;
  success: boolean;
  user_id: string;
  application_id: string | null;
  namespace_id: string | null;
  entry_id: string | null;
  key_path: string | null;
  request_id: string | null;
  client_address: string | null;
  error_code: string | null;
  event_type: string | null;
  prev_hash: string;
  hash: string;
}
