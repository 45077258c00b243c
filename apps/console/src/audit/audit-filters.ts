import type { AuditAction, AuditQuery, AuditVerifyResult } from '@kv-service/client';

/** The audit screen's filters as typed: empty text is no filter; times as `datetime-local` gives them (local time). */
export interface AuditFilterValues {
  action: AuditAction | null;
  namespaceId: string;
  keyPath: string;
  userId: string;
  outcome: 'any' | 'succeeded' | 'failed';
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilterValues = {
  action: null,
  namespaceId: '',
  keyPath: '',
  userId: '',
  outcome: 'any',
  from: '',
  to: '',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AuditFilterErrors = Partial<Record<'namespaceId' | 'from' | 'to', string>>;

/** A `datetime-local` value (e.g. `2026-12-07T17:05`) as the instant it names here, ISO-8601 in UTC. */
function instantOf(local: string): string | null {
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The filters a screen starts with (and clearing comes back to): a token that reads the audit of some namespaces only
 * (`readable`, see grantedNamespaces) starts in the first of them, as the gateway refuses a query of every namespace.
 */
export function auditFiltersFor(readable: readonly string[] | null): AuditFilterValues {
  return { ...NO_AUDIT_FILTERS, namespaceId: readable?.[0] ?? '' };
}

/**
 * The API's query for the filters, or what is wrong with them (checked here so that a half-typed id is no 400):
 * the namespace an id, and one of `readable` when the token reads the audit of those only (null: of every one);
 * each time a time, `from` before `to`. The key is exact, as the API matches it.
 */
export function auditQueryOf(
  values: AuditFilterValues,
  readable: readonly string[] | null = null,
): { query: AuditQuery; errors: null } | { query: null; errors: AuditFilterErrors } {
  const errors: AuditFilterErrors = {};
  const namespaceId = values.namespaceId.trim();
  if (namespaceId && !UUID.test(namespaceId)) errors.namespaceId = "A namespace's id (a UUID), as the namespaces list shows it";
  else if (readable !== null && !readable.includes(namespaceId.toLowerCase()))
    errors.namespaceId = 'Your token reads the audit trail of some namespaces only: choose one of them';
  const from = values.from ? instantOf(values.from) : null;
  const to = values.to ? instantOf(values.to) : null;
  if (values.from && from === null) errors.from = 'Not a date and time';
  if (values.to && to === null) errors.to = 'Not a date and time';
  if (from !== null && to !== null && from >= to) errors.to = 'Must be after From';
  if (Object.keys(errors).length > 0) return { query: null, errors };
  const query: AuditQuery = {};
  if (values.action) query.action = values.action;
  if (namespaceId) query.namespaceId = namespaceId.toLowerCase();
  if (values.keyPath) query.keyPath = values.keyPath;
  if (values.userId.trim()) query.userId = values.userId.trim();
  if (values.outcome !== 'any') query.success = values.outcome === 'succeeded';
  if (from !== null) query.from = from;
  if (to !== null) query.to = to;
  return { query, errors: null };
}

/** The chain's state in a few words, for its badge. */
export function chainStateOf(result: AuditVerifyResult): { intact: boolean; label: string; detail: string | null } {
  const reanchored =
    result.reanchored.length > 0 ? `${result.reanchored.length} re-anchored by an operator (${result.reanchored.join(', ')})` : null;
  if (result.ok) return { intact: true, label: `Chain intact (${result.checked} records)`, detail: reanchored };
  const where = result.firstBrokenSequence === null ? 'Chain broken' : `Chain broken at record ${result.firstBrokenSequence}`;
  return { intact: false, label: where, detail: [result.reason, reanchored].filter(Boolean).join('; ') || null };
}
