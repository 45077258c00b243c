import { isBoolean, isIn, isISO8601, isString, isUUID, maxLength } from 'class-validator';
import { KV_EVENT_TYPES } from '../events/kv-event';
import { isWellFormedText, withForbiddenTextReplaced } from '../text/text-rule';
import { AUDIT_FIELD_MAX_LENGTH, AuditRecordMessage, PUBLISHED_AUDIT_ACTIONS } from './audit-record';

type FieldCheck = (value: unknown) => boolean;
type AuditRecordField = keyof AuditRecordMessage;

/** `@IsOptional()`: null and undefined pass, anything else is checked. */
const optional =
  (check: FieldCheck): FieldCheck =>
  (value) =>
    value === null || value === undefined || check(value);
const text =
  (max: number): FieldCheck =>
  (value) =>
    isString(value) && maxLength(value, max) && isWellFormedText(value);
const uuid: FieldCheck = (value) => isUUID(value);

/**
 * AuditRecordMessage's decorators as the same class-validator functions, called directly: `validateSync` answers the same
 * (the spec holds them together) but walks its metadata for every object, and the gateway checks each record it publishes,
 * on every request's path (measured: docs/benchmark.md). The mapped type makes a field without a check a compile error.
 */
const FIELD_CHECKS: { readonly [Field in AuditRecordField]-?: FieldCheck } = {
  id: uuid,
  occurredAt: (value) => isISO8601(value),
  action: (value) => isIn(value, PUBLISHED_AUDIT_ACTIONS),
  success: (value) => isBoolean(value),
  userId: text(AUDIT_FIELD_MAX_LENGTH.userId),
  applicationId: optional(text(AUDIT_FIELD_MAX_LENGTH.applicationId)),
  namespaceId: optional(uuid),
  entryId: optional(uuid),
  keyPath: optional(text(AUDIT_FIELD_MAX_LENGTH.keyPath)),
  requestId: optional(text(AUDIT_FIELD_MAX_LENGTH.requestId)),
  clientAddress: optional(text(AUDIT_FIELD_MAX_LENGTH.clientAddress)),
  errorCode: optional(text(AUDIT_FIELD_MAX_LENGTH.errorCode)),
  eventType: optional((value) => isIn(value, KV_EVENT_TYPES)),
};
const FIELDS = Object.keys(FIELD_CHECKS) as AuditRecordField[];

/** The fields of `record` that break the audit contract, in declaration order; empty for a valid record. */
export function auditRecordBreaches(record: AuditRecordMessage): AuditRecordField[] {
  return FIELDS.filter((field) => !FIELD_CHECKS[field](record[field]));
}

/** Fields the producer makes itself (an id, a clock reading, a constant): no stand-in would be true. */
const IRREPLACEABLE: ReadonlySet<AuditRecordField> = new Set(['id', 'occurredAt', 'action', 'success']);

/**
 * The principal of a record whose userId breaks the contract: each character the text rule forbids becomes
 * U+FFFD (as a UTF-8 encoder writes a lone surrogate), cut to the limit, so that the principal stays
 * recognisable and a search for it finds its calls.
 */
function standInUserId(userId: string): string {
  return Array.from(withForbiddenTextReplaced(userId)).slice(0, AUDIT_FIELD_MAX_LENGTH.userId).join('');
}

/**
 * A record that keeps what can be kept of one that breaks the contract, so that the trail still says the
 * call happened: each breaking field that may be null becomes null (as an invalid key is recorded as none),
 * a breaking userId text its stand-in. `null` when a field only the producer makes is broken, or userId is
 * no text at all: that is a bug of the producer, not hostile input, and nothing true can stand in for it.
 */
export function sanitizedAuditRecord(record: AuditRecordMessage, breaches: readonly AuditRecordField[]): AuditRecordMessage | null {
  if (breaches.some((field) => IRREPLACEABLE.has(field)) || typeof record.userId !== 'string') return null;
  const sanitized: AuditRecordMessage = { ...record };
  for (const field of breaches) {
    if (field === 'userId') sanitized.userId = standInUserId(record.userId);
    else (sanitized as unknown as Record<AuditRecordField, unknown>)[field] = null;
  }
  return sanitized;
}
