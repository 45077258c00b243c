import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Limits } from '../common/limits';
import { IsWellFormedText } from '../text/text-rule';
import { KV_EVENT_TYPES, KvEvent, KvEventType } from '../events/kv-event';

/**
 * Every audit record travels on its own exchange, not on `kv.events`, so that consumers of changes never
 * see reads, refusals or client addresses. Records of changes are published by the owning service's
 * outbox relay next to their event (same id); records of reads and of refused or failed calls by the gateway.
 */
export const KV_AUDIT_EXCHANGE = 'kv.audit';
export const AUDIT_RECORD_ROUTING_KEY = 'audit.record';
/**
 * A message on `kv.audit` holds one record (a JSON object) or several (a JSON array of at most this
 * many): the gateway sends its records in batches (those a reply waits for, per event-loop turn), and an
 * entry service's outbox relay the records of one round together, one broker message for many.
 */
export const MAX_AUDIT_RECORDS_PER_MESSAGE = 500;
/** The audit service's durable queue, bound to `kv.audit` (`audit.#`). */
export const AUDIT_RECORDS_QUEUE = 'audit.records';
/** Messages the audit service cannot parse end here, for an operator to look at. */
export const AUDIT_DEAD_LETTER_EXCHANGE = 'kv.audit.dead-letter';
export const AUDIT_DEAD_LETTER_QUEUE = 'audit.records.dead-letter';

export const AuditAction = {
  READ: 'READ',
  LIST: 'LIST',
  WRITE: 'WRITE',
  DELETE: 'DELETE',
  EXPIRE: 'EXPIRE',
  ROTATE: 'ROTATE',
  ROLLBACK: 'ROLLBACK',
  NAMESPACE_READ: 'NAMESPACE_READ',
  NAMESPACE_CREATE: 'NAMESPACE_CREATE',
  NAMESPACE_UPDATE: 'NAMESPACE_UPDATE',
  NAMESPACE_DELETE: 'NAMESPACE_DELETE',
  AUDIT_READ: 'AUDIT_READ',
  /** A watch started (GET /{nsId}/watch): one record per stream, not per event. */
  WATCH: 'WATCH',
  /** That watch ended; its `errorCode` says why (a WatchEndReason), with the start's request id. */
  WATCH_END: 'WATCH_END',
  /**
   * A caller asked what its token grants (GET /whoami, a console's sign-in): it reads nothing stored, but says when and
   * from where a token was used.
   */
  WHOAMI: 'WHOAMI',
  /** A call refused or failed before its action was known precisely (e.g. no valid token). */
  REQUEST: 'REQUEST',
  /**
   * An operator re-anchored verification after a record whose stored text differs from what was hashed
   * (`npm run audit:reanchor`). Written by that command alone, never published.
   */
  AUDIT_REANCHOR: 'AUDIT_REANCHOR',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export const AUDIT_ACTIONS = Object.values(AuditAction);
/** The actions a record on `kv.audit` may have: a re-anchoring published by anyone would be forged. */
export const PUBLISHED_AUDIT_ACTIONS = AUDIT_ACTIONS.filter((action) => action !== AuditAction.AUDIT_REANCHOR);

/** The longest text each field of an AuditRecordMessage may hold (class-validator's MaxLength). */
export const AUDIT_FIELD_MAX_LENGTH = {
  userId: Limits.MAX_PRINCIPAL_ID_LENGTH,
  applicationId: 128,
  keyPath: 512,
  requestId: 128,
  clientAddress: 64,
  errorCode: 64,
} as const;

/** One audit record as it travels on `kv.audit`. Never a value. */
export class AuditRecordMessage {
  @IsUUID() id!: string;
  @IsISO8601() occurredAt!: string;
  @IsIn(PUBLISHED_AUDIT_ACTIONS) action!: AuditAction;
  @IsBoolean() success!: boolean;
  /** Principal id; `anonymous` when no valid token was given. */
  @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.userId) @IsWellFormedText() userId!: string;
  @IsOptional() @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.applicationId) @IsWellFormedText() applicationId!: string | null;
  @IsOptional() @IsUUID() namespaceId!: string | null;
  @IsOptional() @IsUUID() entryId!: string | null;
  @IsOptional() @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.keyPath) @IsWellFormedText() keyPath!: string | null;
  @IsOptional() @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.requestId) @IsWellFormedText() requestId!: string | null;
  @IsOptional() @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.clientAddress) @IsWellFormedText() clientAddress!: string | null;
  /** The error code of a failed or refused call. */
  @IsOptional() @IsString() @MaxLength(AUDIT_FIELD_MAX_LENGTH.errorCode) @IsWellFormedText() errorCode!: string | null;
  /** For a change: the event it was published with (same id). */
  @IsOptional() @IsIn(KV_EVENT_TYPES) eventType!: KvEventType | null;
}

const ACTION_OF_EVENT: Record<KvEventType, AuditAction> = {
  [KvEventType.NAMESPACE_CREATED]: AuditAction.NAMESPACE_CREATE,
  [KvEventType.NAMESPACE_UPDATED]: AuditAction.NAMESPACE_UPDATE,
  [KvEventType.NAMESPACE_DELETED]: AuditAction.NAMESPACE_DELETE,
  [KvEventType.ENTRY_CREATED]: AuditAction.WRITE,
  [KvEventType.ENTRY_UPDATED]: AuditAction.WRITE,
  [KvEventType.ENTRY_DELETED]: AuditAction.DELETE,
  [KvEventType.ENTRY_EXPIRED]: AuditAction.EXPIRE,
  [KvEventType.SECRET_ROTATED]: AuditAction.ROTATE,
  [KvEventType.SECRET_ROLLED_BACK]: AuditAction.ROLLBACK,
};

/** The audit record of a committed change: it shares the event's id, so the audit service stores it once. */
export function auditRecordOfEvent(event: KvEvent, clientAddress: string | null): AuditRecordMessage {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    action: ACTION_OF_EVENT[event.type],
    success: true,
    userId: event.actor,
    applicationId: event.applicationId,
    namespaceId: event.namespaceId,
    entryId: event.entryId,
    keyPath: event.keyPath,
    requestId: event.requestId,
    clientAddress,
    errorCode: null,
    eventType: event.type,
  };
}

export class AuditRecordDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Position in the hash chain' }) sequence!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty() success!: boolean;
  @ApiProperty() userId!: string;
  @ApiProperty({ type: String, nullable: true }) applicationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) namespaceId!: string | null;
  @ApiProperty({ type: String, nullable: true }) entryId!: string | null;
  @ApiProperty({ type: String, nullable: true }) keyPath!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientAddress!: string | null;
  @ApiProperty({ type: String, nullable: true }) errorCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The event this record came from, for changes' }) eventType!: string | null;
  @ApiProperty({ description: 'sha256 over the previous hash and this record' }) hash!: string;
}
