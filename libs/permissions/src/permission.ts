/**
 * Every permission the platform knows, as `resource:action` strings. A grant naming anything else
 * grants nothing (see grants.ts).
 */
export const Permission = {
  /** View namespaces and list the entries in them (names only, no values). */
  NamespaceRead: 'kv-namespace:read',
  NamespaceWrite: 'kv-namespace:write',
  NamespaceDelete: 'kv-namespace:delete',
  /** Read entry values. */
  EntryRead: 'kv-entry:read',
  EntryWrite: 'kv-entry:write',
  EntryDelete: 'kv-entry:delete',
  SecretRotate: 'kv-secret:rotate',
  /** Read an old (non-current) secret value. */
  SecretVersions: 'kv-secret:versions',
  AuditRead: 'kv-audit:read',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);
