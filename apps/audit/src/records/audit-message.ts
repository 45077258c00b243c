import { AuditRecordMessage, MAX_AUDIT_RECORDS_PER_MESSAGE } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AuditRecordFields } from '../chain/audit-chain';

/** A record as it arrived, normalized; `recordedAt` is given when it is stored. */
export type IncomingAuditRecord = Omit<AuditRecordFields, 'recordedAt'>;

/** A valid record, and where it stood in its message (0 for a message of one record). */
export interface IndexedAuditRecord {
  index: number;
  record: IncomingAuditRecord;
}

/** A record of a batch that the contract refuses: as it arrived, where it stood, and why (field names only). */
export interface RefusedAuditRecord {
  index: number;
  body: unknown;
  reason: string;
}

/**
 * A message's records, each judged on its own: the valid ones normalized, the others to be dead-lettered
 * one by one. `ok: false` when the message as a whole is no record and no batch of them.
 */
export type ParsedAuditMessage = { ok: true; records: IndexedAuditRecord[]; refused: RefusedAuditRecord[] } | { ok: false; reason: string };
type ParsedRecord = { ok: true; record: IncomingAuditRecord } | { ok: false; reason: string };

/**
 * Parses and validates one message body: a record, or an array of at most MAX_AUDIT_RECORDS_PER_MESSAGE
 * records, each against `AuditRecordMessage` on its own, so that one hostile record of a batch costs only
 * itself. The reason of a refusal names fields only, never their content, so that it can be logged.
 */
export function parseAuditMessage(content: Buffer): ParsedAuditMessage {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!Array.isArray(body)) {
    const parsed = parseAuditRecord(body);
    return parsed.ok ? { ok: true, records: [{ index: 0, record: parsed.record }], refused: [] } : parsed;
  }
  if (body.length === 0 || body.length > MAX_AUDIT_RECORDS_PER_MESSAGE) {
    return { ok: false, reason: `a batch must hold 1 to ${MAX_AUDIT_RECORDS_PER_MESSAGE} records, not ${body.length}` };
  }
  const records: IndexedAuditRecord[] = [];
  const refused: RefusedAuditRecord[] = [];
  for (const [index, item] of body.entries()) {
    const parsed = parseAuditRecord(item);
    if (parsed.ok) records.push({ index, record: parsed.record });
    else refused.push({ index, body: item, reason: `record ${index}: ${parsed.reason}` });
  }
  return { ok: true, records, refused };
}

/**
 * One record. Fields the contract does not know are dropped (a newer producer may add some). Ids are
 * lower-cased and instants put in the millisecond ISO form, as Postgres gives them back, so that a
 * redelivered record is known by its id; the hash is taken over what Postgres gives back (the repository).
 */
function parseAuditRecord(body: unknown): ParsedRecord {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'not a JSON object' };
  const message = plainToInstance(AuditRecordMessage, body);
  const errors = validateSync(message, { forbidUnknownValues: true });
  if (errors.length > 0) return { ok: false, reason: `invalid ${errors.map((error) => error.property).join(', ')}` };
  const occurredAt = new Date(message.occurredAt);
  // IsISO8601 also accepts week dates and the like, which Date cannot read.
  if (Number.isNaN(occurredAt.getTime())) return { ok: false, reason: 'invalid occurredAt' };
  return {
    ok: true,
    record: {
      id: message.id.toLowerCase(),
      occurredAt: occurredAt.toISOString(),
      action: message.action,
      success: message.success,
      userId: message.userId,
      applicationId: message.applicationId ?? null,
      namespaceId: message.namespaceId?.toLowerCase() ?? null,
      entryId: message.entryId?.toLowerCase() ?? null,
      keyPath: message.keyPath ?? null,
      requestId: message.requestId ?? null,
      clientAddress: message.clientAddress ?? null,
      errorCode: message.errorCode ?? null,
      eventType: message.eventType ?? null,
    },
  };
}
