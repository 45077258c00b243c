/**
 * The watch fan-out's arithmetic (see watch-fan-out.ts): latencies of every delivery, of the last watcher of each
 * write, the gateway's memory per watcher, and what makes a run invalid. Pure functions over plain data.
 */
import { sample } from '../../test/support/metrics';

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface GatewayMemory {
  rssBytes: number;
  heapUsedBytes: number;
}

export interface WatchFanOut {
  /** Where it ran: the scratch platform of its own, or the URL of a running gateway. */
  platform: string;
  watchers: number;
  writes: number;
  spacingMs: number;
  /** 1-minute load average when the fan-out started and ended. */
  loadAverage: [number, number];
  /** Watches being opened at once. */
  openConcurrency: number;
  /** From the first watch asked for until every one had its first frame. */
  openSeconds: number;
  /** From just before each PUT until each watcher had parsed its event: every (watcher, write) delivered. */
  delivery: LatencySummary;
  /** From just before each PUT until the last watcher had its event: one per write. */
  lastWatcher: LatencySummary;
  put: LatencySummary;
  /** (watcher, write) pairs not delivered before the bench gave up waiting. */
  missed: number;
  /** Watchers whose stream ended before the bench closed it. */
  endedEarly: number;
  /** Absent when the gateway's metrics were not the bench's to scrape. */
  memory?: {
    before: GatewayMemory;
    /** With every watcher open, before the first write. */
    open: GatewayMemory;
    /** Once the gateway counted every watcher closed: what it still holds of them. */
    closed: GatewayMemory;
    perWatcher: GatewayMemory;
    /** Scrapes of each figure (its median is taken). */
    samples: number;
    /** Whether a full garbage collection was forced (over the gateway's inspector) before each scrape. */
    gcForced: boolean;
  };
  /** kv_gateway_watches_open with every watcher open, and once they were all closed (absent without metrics). */
  watchesOpen?: { open: number; afterClose: number; afterCloseMs: number };
}

/** Nearest-rank percentile (`p` in 0..100) of ascending `sorted`: exact over the few thousand samples of a run. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * Every delivery's latency and, per write, the last watcher's: `sentAt[w]` is when write w was sent, `arrivals[w][i]`
 * when watcher i had it (undefined: never, a miss). A write some watcher missed has no last-watcher time.
 */
export function deliveryLatencies(
  sentAt: readonly number[],
  arrivals: readonly (readonly (number | undefined)[])[],
): { delivery: number[]; lastWatcher: number[]; missed: number } {
  const delivery: number[] = [];
  const lastWatcher: number[] = [];
  let missed = 0;
  sentAt.forEach((sent, write) => {
    const times = arrivals[write] ?? [];
    const delivered = times.filter((at): at is number => at !== undefined).map((at) => at - sent);
    delivery.push(...delivered);
    missed += times.length - delivered.length;
    if (delivered.length === times.length && delivered.length > 0) lastWatcher.push(Math.max(...delivered));
  });
  return { delivery, lastWatcher, missed };
}

/** The gateway's resident set and V8 heap in use, from a scrape of its metrics (prom-client's default metrics). */
export function gatewayMemoryOf(scrape: string): GatewayMemory {
  const rssBytes = sample(scrape, 'process_resident_memory_bytes', {});
  const heapUsedBytes = sample(scrape, 'nodejs_heap_size_used_bytes', {});
  if (rssBytes === undefined || heapUsedBytes === undefined)
    throw new Error('the gateway metrics have no process_resident_memory_bytes or nodejs_heap_size_used_bytes');
  return { rssBytes, heapUsedBytes };
}

/** The median of each figure over `samples`. */
export function medianMemory(samples: readonly GatewayMemory[]): GatewayMemory {
  return { rssBytes: median(samples.map((s) => s.rssBytes)), heapUsedBytes: median(samples.map((s) => s.heapUsedBytes)) };
}

/** What `watchers` open watches added, each. */
export function memoryPerWatcher(before: GatewayMemory, open: GatewayMemory, watchers: number): GatewayMemory {
  return { rssBytes: (open.rssBytes - before.rssBytes) / watchers, heapUsedBytes: (open.heapUsedBytes - before.heapUsedBytes) / watchers };
}

/** Why a run's figures are not valid: deliveries missed, streams the gateway ended, watches it still counts. */
export function watchFailures(result: WatchFanOut): string[] {
  const failures: string[] = [];
  if (result.missed > 0) failures.push(`${result.missed} deliveries missed`);
  if (result.endedEarly > 0) failures.push(`${result.endedEarly} streams ended before the bench closed them`);
  if (result.watchesOpen && result.watchesOpen.afterClose !== 0)
    failures.push(`kv_gateway_watches_open is ${result.watchesOpen.afterClose} after every watcher closed, not 0`);
  return failures;
}
