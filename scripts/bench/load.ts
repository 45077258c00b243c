/**
 * One load run with autocannon: a fixed number of keep-alive connections for a fixed time, each sending its next request
 * when the last was answered, summarised. Latencies come from autocannon's `response` event, whose responseTime is
 * fractional milliseconds (from process.hrtime), into a histogram of microseconds (latency.ts): its own histogram keeps
 * whole milliseconds, which hide what a lone request waits for (issue 21).
 */
import autocannon, { Request, Result } from 'autocannon';
import { cpuMsPerRequest, sampleCpu } from './cpu-time';
import { latencyHistogram } from './latency';
import type { Measurement } from './report';

export interface LoadRun {
  name: string;
  /** Origin of the server, e.g. http://127.0.0.1:8080. */
  origin: string;
  request: Request;
  connections: number;
  durationSeconds: number;
  /** Requests to send in all, instead of for `durationSeconds`. */
  amount?: number;
  /** Processes whose CPU time per request to report, by name (Postgres, RabbitMQ and the load generator always are). */
  processes?: ReadonlyMap<string, number>;
}

/** Runs the load and shows its progress on a terminal, one updating line. */
export async function runLoad(run: LoadRun): Promise<Measurement> {
  let seconds = 0;
  // Like autocannon's own: the latencies of 2xx answers only (the others count as failures).
  const latencies = latencyHistogram();
  const cpuBefore = sampleCpu(run.processes ?? new Map());
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      { url: run.origin, connections: run.connections, duration: run.durationSeconds, amount: run.amount, requests: [run.request] },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.recordMs(responseTime);
    });
    instance.on('tick', () => {
      seconds += 1;
      if (process.stdout.isTTY) process.stdout.write(`\r  ${run.name} @${run.connections}: ${seconds}/${run.durationSeconds} s`);
    });
  });
  const cpuAfter = sampleCpu(run.processes ?? new Map());
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
  return {
    name: run.name,
    connections: run.connections,
    perSecond: result.requests.average,
    ...latencies.finish(),
    errors: result.errors,
    non2xx: result.non2xx,
    ...(result.non2xx > 0 ? { failedStatuses: failedStatuses(result) } : {}),
    total: result.requests.total,
    cpuMsPerRequest: cpuMsPerRequest(cpuBefore, cpuAfter, result.requests.total),
  };
}

function failedStatuses(result: Result): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, stats]) => [status, stats.count ?? 0]),
  );
}
