import type { EntryDto, WithRevision } from '@app/contracts';

/** An entry as kv-entry answers a read: with the revision it was read at, kept with the copy (a lower bound still). */
export type ReadEntry = EntryDto & WithRevision;
import { LRUCache } from 'lru-cache';

export interface EntryCacheOptions {
  /** Bytes of values (as JSON) kept at most; 0 turns the cache off. */
  maxBytes: number;
  /** The longest an entry is served from memory, should an event about it be late or lost. */
  maxAgeMs: number;
}

/** What the cache did for one read that allowed a kept copy, for the metrics. */
export type EntryCacheOutcome = 'hit' | 'miss';

/** Entries larger than this are not kept: they would crowd out many small ones. */
export const MAX_CACHED_ENTRY_BYTES = 64 * 1024;

/** An entry as kept, with when it was read from the service. */
interface Kept {
  readonly entry: ReadEntry;
  readonly readAt: number;
}

/** A read in flight: what it brings back may be kept only if nothing changed its key meanwhile. */
interface Fill {
  readonly epoch: number;
  invalidated: boolean;
}

/** Namespace ids are UUIDs, so no key can make two different pairs meet. */
function cacheKeyOf(namespaceId: string, keyPath: string): string {
  return `${namespaceId} ${keyPath}`;
}

/** The bytes an entry's stored fields take as JSON, roughly: enough to bound the cache. */
function sizeOf({ entry }: Kept): number {
  const value = typeof entry.value === 'string' ? entry.value.length + 2 : JSON.stringify(entry.value).length;
  const metadata = entry.metadata === null ? 0 : JSON.stringify(entry.metadata).length;
  return value + metadata + entry.keyPath.length + 200;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Copies of plain entries, for reads that accept one (`Cache-Control: max-age=N`); other reads ask the service, so by default
 * a read sees every write answered before it, whichever gateway took it. Correct only while every change reaches `invalidate`
 * (events, this gateway's writes; `suspend`ed while events may be missed, resumed empty), and a read in flight when its key
 * changes is not kept. Entries with an expiry (the service decides when they expire) and secrets are never kept.
 */
export class EntryCache {
  private readonly entries: LRUCache<string, Kept> | undefined;
  private readonly fills = new Map<string, Set<Fill>>();
  /** Bumped by `clear`: fills begun before it are not kept. */
  private epoch = 0;
  private subscribed = false;
  readonly outcomes: Record<EntryCacheOutcome, number> = { hit: 0, miss: 0 };

  constructor(options: EntryCacheOptions) {
    this.entries =
      options.maxBytes > 0
        ? new LRUCache<string, Kept>({
            maxSize: options.maxBytes,
            maxEntrySize: MAX_CACHED_ENTRY_BYTES,
            sizeCalculation: sizeOf,
            ttl: options.maxAgeMs,
          })
        : undefined;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /**
   * The entry from memory if the caller allows a copy that old (`acceptedAgeMs`) and one is kept, else
   * from `load` (kept for next time when it may be). Without `acceptedAgeMs`, simply `load`.
   */
  async read(namespaceId: string, keyPath: string, acceptedAgeMs: number | undefined, load: () => Promise<ReadEntry>): Promise<ReadEntry> {
    if (this.entries === undefined || !this.subscribed || acceptedAgeMs === undefined) return load();
    const cacheKey = cacheKeyOf(namespaceId, keyPath);
    const kept = this.entries.get(cacheKey);
    if (kept !== undefined && performance.now() - kept.readAt <= acceptedAgeMs) {
      this.outcomes.hit += 1;
      return kept.entry;
    }
    this.outcomes.miss += 1;
    const fill: Fill = { epoch: this.epoch, invalidated: false };
    this.track(cacheKey, fill);
    try {
      const readAt = performance.now();
      const entry = await load();
      if (this.keeps(fill, entry, namespaceId, keyPath)) this.entries.set(cacheKey, { entry: deepFreeze(entry), readAt });
      return entry;
    } finally {
      this.untrack(cacheKey, fill);
    }
  }

  /** The entry changed or went: forget it, and do not keep what reads in flight bring back. */
  invalidate(namespaceId: string, keyPath: string): void {
    if (this.entries === undefined) return;
    const cacheKey = cacheKeyOf(namespaceId, keyPath);
    this.entries.delete(cacheKey);
    for (const fill of this.fills.get(cacheKey) ?? []) fill.invalidated = true;
  }

  /** A namespace went: its entries can no longer be read (rare, so a scan is fine). */
  invalidateNamespace(namespaceId: string): void {
    if (this.entries === undefined) return;
    const prefix = cacheKeyOf(namespaceId, '');
    for (const cacheKey of this.entries.keys()) if (cacheKey.startsWith(prefix)) this.entries.delete(cacheKey);
    for (const [cacheKey, fills] of this.fills) if (cacheKey.startsWith(prefix)) for (const fill of fills) fill.invalidated = true;
  }

  /** Events may have been missed (the subscription dropped): forget everything and stop serving from memory. */
  suspend(): void {
    this.subscribed = false;
    this.clear();
  }

  /** The subscription is back: start afresh, since nothing says what changed while it was away. */
  resume(): void {
    this.clear();
    this.subscribed = true;
  }

  /** Whether copies are served now: on, and kept fresh by a live kv.events subscription. */
  get serving(): boolean {
    return this.entries !== undefined && this.subscribed;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  private clear(): void {
    this.epoch += 1;
    this.entries?.clear();
  }

  private keeps(fill: Fill, entry: ReadEntry, namespaceId: string, keyPath: string): boolean {
    return (
      this.subscribed &&
      !fill.invalidated &&
      fill.epoch === this.epoch &&
      entry.expiresAt === null &&
      // Events name the stored namespace id and key path; keep only what they would name the same way.
      entry.namespaceId === namespaceId &&
      entry.keyPath === keyPath
    );
  }

  private track(cacheKey: string, fill: Fill): void {
    const fills = this.fills.get(cacheKey);
    if (fills === undefined) this.fills.set(cacheKey, new Set([fill]));
    else fills.add(fill);
  }

  private untrack(cacheKey: string, fill: Fill): void {
    const fills = this.fills.get(cacheKey);
    fills?.delete(fill);
    if (fills?.size === 0) this.fills.delete(cacheKey);
  }
}
