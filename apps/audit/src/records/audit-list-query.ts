import { AuditQuery, ErrorCode, KvException } from '@app/contracts';
import type { ApplicationScope } from '@app/permissions';
import { cursorPosition } from '@app/service-kit';

/** Postgres bigint's largest value: a cursor beyond it is not one we made. */
const MAX_SEQUENCE = 9_223_372_036_854_775_807n;

/** The sequence a page continues below, `null` for the first page; INVALID_CURSOR for a cursor we did not make. */
export function sequenceCursor(cursor: string | undefined): string | null {
  const position = cursorPosition(cursor, 1);
  if (position === null) return null;
  const sequence = position[0]!;
  if (!/^[1-9][0-9]{0,18}$/.test(sequence) || BigInt(sequence) > MAX_SEQUENCE) {
    throw new KvException(ErrorCode.INVALID_CURSOR, 'cursor is not valid for this listing');
  }
  return sequence;
}

export interface SqlQuery {
  sql: string;
  parameters: unknown[];
}

/** Every column but prev_hash, which the listing does not show. */
const AUDIT_LIST_COLUMNS = `sequence, id, occurred_at, recorded_at, action, success, user_id, application_id, namespace_id,
       entry_id, key_path, request_id, client_address, error_code, event_type, hash`;

/**
 * One page of the audit trail, newest first: the query's filters, the caller's applications (a record
 * without an application only for callers of every application), below the cursor's sequence.
 * `limit` rows are fetched as asked (the caller asks one more than the page to know if one follows).
 */
export function auditListQuery(query: AuditQuery, applications: ApplicationScope, beforeSequence: string | null, limit: number): SqlQuery {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const where = (condition: (placeholder: string) => string, value: unknown): void => {
    parameters.push(value);
    conditions.push(condition(`$${parameters.length}`));
  };
  if (!applications.all) where((p) => `application_id = ANY(${p}::text[])`, applications.applicationIds);
  if (query.namespaceId !== undefined) where((p) => `namespace_id = ${p}::uuid`, query.namespaceId);
  if (query.keyPath !== undefined) where((p) => `key_path = ${p}`, query.keyPath);
  if (query.action !== undefined) where((p) => `action = ${p}`, query.action);
  if (query.userId !== undefined) where((p) => `user_id = ${p}`, query.userId);
  if (query.success !== undefined) where((p) => `success = ${p}`, query.success);
  if (query.from !== undefined) where((p) => `occurred_at >= ${p}::timestamptz`, query.from);
  if (query.to !== undefined) where((p) => `occurred_at < ${p}::timestamptz`, query.to);
  if (beforeSequence !== null) where((p) => `sequence < ${p}::bigint`, beforeSequence);
  parameters.push(limit);
  return {
    sql: `SELECT ${AUDIT_LIST_COLUMNS} FROM audit_record${conditions.length > 0 ? `\n WHERE ${conditions.join(' AND ')}` : ''}
 ORDER BY sequence DESC LIMIT $${parameters.length}`,
    parameters,
  };
}
