/**
 * When an entry written at `now` expires: after its own `ttlSeconds`, else after the namespace's
 * default TTL, else never (`null`).
 */
export function expiresAtFor(now: Date, ttlSeconds?: number | null, namespaceDefault?: number | null): Date | null {
  const ttl = ttlSeconds ?? namespaceDefault ?? null;
  return ttl === null ? null : new Date(now.getTime() + ttl * 1000);
}
