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
