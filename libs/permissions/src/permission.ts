/**
 * Every permission the platform knows, as `resource:action` strings. A grant naming anything else
 * grants nothing (see grants.ts).
 */
export const Permission = {
  /**
   * View namespaces and list their entries' names and state: type, version, expiry, metadata, times (no values), in secret
   * namespaces too. Listing values needs EntryRead as well.
   */
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
