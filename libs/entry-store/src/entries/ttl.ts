/** How long an entry lives: its own `ttlSeconds`, else the namespace's default TTL, else for ever (`null`). */
export function ttlSecondsFor(ttlSeconds?: number | null, namespaceDefault?: number | null): number | null {
  return ttlSeconds ?? namespaceDefault ?? null;
}

/**
 * The SQL of an entry's expiry instant from a TTL parameter (an integer of seconds, NULL for none).
 * Expiry is reckoned by the database's clock, as every read, write and sweep judges it: a service whose
 * clock is behind the database's would otherwise write entries that are expired already (and ahead, live
 * too long). `now()` is the start of the statement's transaction.
 */
export function expiresAtSql(ttlSecondsParameter: string): string {
  return `now() + ${ttlSecondsParameter}::integer * interval '1 second'`;
}

/**
 * Whether the entry `alias` (a table's name or alias; none for an unqualified column) is live: the one condition of every read,
 * so that an expired entry is invisible to all of them at once (the sweep only reclaims its space). `now()`: the statement's
 * transaction's start, as `expiresAtSql` dates a write.
 */
export function liveSql(alias?: string): string {
  const expiresAt = alias === undefined ? 'expires_at' : `${alias}.expires_at`;
  return `(${expiresAt} IS NULL OR ${expiresAt} > now())`;
}

/**
 * Whether the row's `expiresAt` (a column or `alias.expires_at`) had passed when this statement got the row's lock: the one
 * judgement of a change that ends an expired entry, so that whoever holds the lock (a write, a delete) names its expiry, or
 * nobody does. `clock_timestamp()`, not `now()`: a change that waited on the lock began before. Only where Postgres
 * evaluates it under the lock: RETURNING, ON CONFLICT DO UPDATE, a query over a locking CTE.
 */
export function expiredUnderLockSql(expiresAt: string): string {
  return `(${expiresAt} IS NOT NULL AND ${expiresAt} <= clock_timestamp())`;
}
