import { latencyHistogram } from './latency';

describe('latency histogram', () => {
  it('keeps fractions of a millisecond: mean, percentiles and max to the microsecond', () => {
    const latencies = latencyHistogram();
    for (let i = 1; i <= 100; i++) latencies.recordMs(i * 0.01);
    expect(latencies.count).toBe(100);
    const summary = latencies.finish();
    expect(summary.meanMs).toBeCloseTo(0.505, 3);
    expect(summary).toMatchObject({ p50Ms: 0.5, p90Ms: 0.9, p99Ms: 0.99, maxMs: 1 });
  });

  it('records from a start taken with process.hrtime.bigint, and reads zeros when nothing was recorded', () => {
    const latencies = latencyHistogram();
    latencies.recordSince(process.hrtime.bigint() - 2_500_000n);
    expect(latencies.finish().p50Ms).toBeGreaterThanOrEqual(2.5);
    expect(latencyHistogram().finish()).toEqual({ meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});
