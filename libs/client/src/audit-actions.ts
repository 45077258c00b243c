import type { AuditAction } from './schemas';

/**
 * Every action an audit record can have, for the choices of a filter (the CLI's `--action`, the console's select). The
 * contracts' list, which this package cannot import; audit-actions.spec.ts holds the two equal.
 */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'READ',
  'LIST',
  'WRITE',
  'DELETE',
  'EXPIRE',
  'ROTATE',
  'ROLLBACK',
  'NAMESPACE_READ',
  'NAMESPACE_CREATE',
  'NAMESPACE_UPDATE',
  'NAMESPACE_DELETE',
  'AUDIT_READ',
  'WATCH',
  'WATCH_END',
  'WHOAMI',
  'REQUEST',
  'AUDIT_REANCHOR',
];
