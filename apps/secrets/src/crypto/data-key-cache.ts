import { createHash } from 'node:crypto';
import { WrappedDataKey } from './envelope';

export interface DataKeyCacheOptions {
  maxEntries: number;
  ttlMs: number;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now?: () => number;
}

interface CacheEntry {
  key: Buffer;
  expiresAt: number;
}

/**
 * A small LRU cache of unwrapped data keys (never of values), so a hot namespace does not pay an
 * unwrap per read. Entries expire `ttlMs` after they were set, however often they are read, so a
 * rotated or revoked key leaves memory on a known schedule.
 *
 * The cache keeps its own copies: `set` copies the key in and `get` hands a copy out, which the caller
 * owns and should `fill(0)` when done. That way wiping an evicted key can never zero a key that a caller
 * is still using mid-request, which would silently encrypt under an all-zero key.
 */
export class DataKeyCache {
  // A Map iterates in insertion order; re-inserting on every hit keeps the least recently used first.
  readonly #entries = new Map<string, CacheEntry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor({ maxEntries, ttlMs, now = Date.now }: DataKeyCacheOptions) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number');
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** A copy of the cached key, or `undefined` when it is absent or expired. */
  get(cacheKey: string): Buffer | undefined {
    const entry = this.#entries.get(cacheKey);
    if (entry === undefined) return undefined;
    if (this.#isExpired(entry)) {
      this.delete(cacheKey);
      return undefined;
    }
    this.#entries.delete(cacheKey);
    this.#entries.set(cacheKey, entry);
    return copyOf(entry.key);
  }

  /** Caches a copy of `key`; the caller keeps, and should wipe, its own. */
  set(cacheKey: string, key: Buffer): void {
    this.delete(cacheKey);
    this.#deleteExpired();
    this.#entries.set(cacheKey, { key: copyOf(key), expiresAt: this.#now() + this.#ttlMs });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.delete(oldest);
    }
  }

  delete(cacheKey: string): boolean {
    const entry = this.#entries.get(cacheKey);
    if (entry === undefined) return false;
    wipe(entry);
    return this.#entries.delete(cacheKey);
  }

  clear(): void {
    this.#entries.forEach(wipe);
    this.#entries.clear();
  }

  #isExpired(entry: CacheEntry): boolean {
    return this.#now() >= entry.expiresAt;
  }

  // Runs on every `set`, so an expired key does not stay in memory until its slot is needed.
  #deleteExpired(): void {
    for (const [cacheKey, entry] of this.#entries) {
      if (this.#isExpired(entry)) this.delete(cacheKey);
    }
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
function wipe(entry: CacheEntry): void {
  entry.key.fill(0);
}
