import {
  deliveryLatencies,
  gatewayMemoryOf,
  latencySummary,
  median,
  medianMemory,
  memoryPerWatcher,
  percentile,
  watchFailures,
} from './watch-stats';
import { aWatchFanOut as watchFanOut, KB, MB } from './watch-fan-out.sample';

describe('watch fan-out arithmetic', () => {
  it('takes nearest-rank percentiles: p99 of 20 writes is the slowest', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i),
        99,
      ),
    ).toBe(19);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises latencies in any order', () => {
    expect(latencySummary([30, 10, 20])).toEqual({ count: 3, p50Ms: 20, p99Ms: 30, maxMs: 30 });
    expect(median([5, 1, 3, 2])).toBe(2);
  });

  it("times every delivery from its write's sending, and each write's last watcher", () => {
    const sentAt = [100, 500];
    const arrivals = [
      [110, 130, 120],
      [540, 505, 510],
    ];
    expect(deliveryLatencies(sentAt, arrivals)).toEqual({ delivery: [10, 30, 20, 40, 5, 10], lastWatcher: [30, 40], missed: 0 });
  });

  it('counts a miss, and gives the write it missed no last-watcher time', () => {
    const { delivery, lastWatcher, missed } = deliveryLatencies(
      [0, 100],
      [
        [10, undefined, 30],
        [120, 110, 130],
      ],
    );
    expect(delivery).toEqual([10, 30, 20, 10, 30]);
    expect(lastWatcher).toEqual([30]);
    expect(missed).toBe(1);
  });

  it("reads the gateway's resident set and heap in use from its metrics", () => {
    const scrape = [
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      'process_resident_memory_bytes 104857600',
      'nodejs_heap_size_total_bytes 52428800',
      'nodejs_heap_size_used_bytes 31457280',
    ].join('\n');
    expect(gatewayMemoryOf(scrape)).toEqual({ rssBytes: 100 * MB, heapUsedBytes: 30 * MB });
    expect(() => gatewayMemoryOf('nodejs_heap_size_total_bytes 1')).toThrow(/process_resident_memory_bytes/);
  });

  it('takes the median of each figure, and divides what the watchers added among them', () => {
    const samples = [
      { rssBytes: 3, heapUsedBytes: 30 },
      { rssBytes: 1, heapUsedBytes: 50 },
      { rssBytes: 2, heapUsedBytes: 40 },
    ];
    expect(medianMemory(samples)).toEqual({ rssBytes: 2, heapUsedBytes: 40 });
    const before = { rssBytes: 100 * MB, heapUsedBytes: 30 * MB };
    const open = { rssBytes: 100 * MB + 1000 * 24 * KB, heapUsedBytes: 30 * MB + 1000 * 20 * KB };
    expect(memoryPerWatcher(before, open, 1000)).toEqual({ rssBytes: 24 * KB, heapUsedBytes: 20 * KB });
  });

  it('makes a run invalid for a miss, a stream the gateway ended, or a watch it still counts', () => {
    expect(watchFailures(watchFanOut())).toEqual([]);
    expect(
      watchFailures(watchFanOut({ missed: 3, endedEarly: 1, watchesOpen: { open: 1000, afterClose: 2, afterCloseMs: 10_000 } })),
    ).toEqual([
      '3 deliveries missed',
      '1 streams ended before the bench closed them',
      'kv_gateway_watches_open is 2 after every watcher closed, not 0',
    ]);
    // A gateway whose metrics the bench cannot read has no count to check.
    expect(watchFailures(watchFanOut({ watchesOpen: undefined }))).toEqual([]);
  });
});
