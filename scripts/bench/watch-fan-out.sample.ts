/** A watch fan-out result for the specs of its statistics and its rendering. */
import type { WatchFanOut } from './watch-stats';

export const KB = 1024;
export const MB = 1024 * KB;

export const aWatchFanOut = (extra: Partial<WatchFanOut> = {}): WatchFanOut => ({
  platform: 'scratch',
  loadAverage: [1, 1.5],
  watchers: 1000,
  writes: 20,
  spacingMs: 250,
  openConcurrency: 50,
  openSeconds: 3.24,
  delivery: { count: 20_000, p50Ms: 31, p99Ms: 88.44, maxMs: 101.2 },
  lastWatcher: { count: 20, p50Ms: 45.3, p99Ms: 101.2, maxMs: 101.2 },
  put: { count: 20, p50Ms: 10.8, p99Ms: 20.4, maxMs: 20.4 },
  missed: 0,
  endedEarly: 0,
  memory: {
    before: { rssBytes: 100 * MB, heapUsedBytes: 30 * MB },
    open: { rssBytes: 124 * MB, heapUsedBytes: 50 * MB },
    closed: { rssBytes: 122 * MB, heapUsedBytes: 42 * MB },
    perWatcher: { rssBytes: 24.6 * KB, heapUsedBytes: 20.48 * KB },
    samples: 5,
    gcForced: true,
  },
  watchesOpen: { open: 1000, afterClose: 0, afterCloseMs: 150 },
  ...extra,
});
