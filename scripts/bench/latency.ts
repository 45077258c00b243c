/**
 * Latencies with microsecond resolution (issue 21): what a lone request waits for is a fraction of a millisecond, which
 * autocannon's own histogram (whole milliseconds: lowestDiscernibleValue 1 ms) rounds away. Every load of the bench
 * records into one of these, in an HDR histogram of microseconds (hdr-histogram-js, the library autocannon uses).
 */
import { build, Histogram } from 'hdr-histogram-js';

/** Mean and percentiles of one load level, in milliseconds with microsecond resolution. */
export interface LatencySummaryMs {
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Up to 60 s, 3 significant digits: 0.873 ms is told from 0.874 ms, 873 ms from 874 ms. */
export function latencyHistogram(): LatencyRecorder {
  return new LatencyRecorder(build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 }));
}

export class LatencyRecorder {
  constructor(private readonly histogram: Histogram) {}

  recordMs(milliseconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(milliseconds * 1000)));
  }

  /** From a `process.hrtime.bigint()` taken when the operation started. */
  recordSince(started: bigint): void {
    this.histogram.recordValue(Math.max(1, Number((process.hrtime.bigint() - started) / 1000n)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The summary, and the histogram's memory freed (hdr-histogram-js may keep it in WebAssembly); zeros when nothing was recorded. */
  finish(): LatencySummaryMs {
    const empty = this.histogram.totalCount === 0;
    const max = this.histogram.maxValue;
    // A percentile reads the top of its bucket (3 significant digits), which may lie past the largest value recorded.
    const ms = (micros: number): number => (empty ? 0 : Math.min(micros, max) / 1000);
    const summary = {
      meanMs: ms(this.histogram.mean),
      p50Ms: ms(this.histogram.getValueAtPercentile(50)),
      p90Ms: ms(this.histogram.getValueAtPercentile(90)),
      p99Ms: ms(this.histogram.getValueAtPercentile(99)),
      maxMs: ms(max),
    };
    this.histogram.destroy();
    return summary;
  }
}
