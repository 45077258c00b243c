import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { WrappedDataKey } from './envelope';

export interface DataKeyCacheOptions {
  maxEntries: number;
  ttlMs: number;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now?: () => number;
}

/**
 * Unwrapped data keys (never values), so a hot namespace does not pay an unwrap per read. Keys expire `ttlMs` after `set`
 * however often read, on a timer, so a rotated or revoked key leaves memory on schedule even when idle, and every dropped key
 * is zero-filled. `set` and `get` copy (the caller `fill(0)`s its copy): wiping a dropped key must never zero one in use,
 * which would silently encrypt under an all-zero key.
 */
export class DataKeyCache {
  readonly #keys: LRUCache<string, Buffer>;

  constructor({ maxEntries, ttlMs, now = Date.now }: DataKeyCacheOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    this.#keys = new LRUCache<string, Buffer>({
      max: maxEntries,
      ttl: ttlMs,
      ttlAutopurge: true,
      // Read the clock on every check rather than once a millisecond: an expired key is never handed out.
      ttlResolution: 0,
      perf: { now },
      dispose: wipe,
    });
  }

  get size(): number {
    return this.#keys.size;
  }

  /** A copy of the cached key, or `undefined` when it is absent or expired. */
  get(cacheKey: string): Buffer | undefined {
    const key = this.#keys.get(cacheKey);
    return key === undefined ? undefined : copyOf(key);
  }

  /** Caches a copy of `key`; the caller keeps, and should wipe, its own. */
  set(cacheKey: string, key: Buffer): void {
    this.#keys.set(cacheKey, copyOf(key));
  }

  delete(cacheKey: string): boolean {
    return this.#keys.delete(cacheKey);
  }

  clear(): void {
    this.#keys.clear();
  }
}

/**
 * The cache key of a wrapped data key: its namespace, master key id and a SHA-256 of the wrapped bytes,
 * so a re-wrapped or replaced data key never hits a stale entry. JSON keeps the fields apart whatever
 * characters a namespace id holds, so one namespace can never be served another's key.
 */
export function dataKeyCacheKey(namespaceId: string, wrappedDataKey: WrappedDataKey): string {
  const digest = createHash('sha256').update(wrappedDataKey.wrapped).digest('hex');
  return JSON.stringify([namespaceId, wrappedDataKey.masterKeyId, digest]);
}

// Buffer.alloc is never carved from Node's shared pool, so the copy does not sit beside unrelated data.
function copyOf(key: Buffer): Buffer {
  const copy = Buffer.alloc(key.length);
  key.copy(copy);
  return copy;
}

// The garbage collector frees memory but does not clear it, and may move it first, so the bytes of a
// dropped key could linger in the heap (and in a core dump) long after. Zeroing shortens that window.
function wipe(key: Buffer): void {
  key.fill(0);
}
