/**
 * The load of the baselines that are no HTTP server (Postgres, bare amqplib): `callers` loops for a fixed time, each
 * starting its next operation when the last one ended, like autocannon's connections. A few lines over a promise per
 * caller; autocannon drives HTTP only.
 */
import { cpuMsPerRequest, sampleCpu } from './cpu-time';
import { latencyHistogram } from './latency';
import type { Measurement } from './report';

export interface LoopRun {
  name: string;
  callers: number;
  durationSeconds: number;
  /** The `i`th operation of the run, over all callers. */
  operation(i: number): Promise<unknown>;
  /** Processes whose CPU time per operation to report, by name (Postgres, RabbitMQ and the load generator always are). */
  processes?: ReadonlyMap<string, number>;
}

export async function runLoop(run: LoopRun): Promise<Measurement> {
  const latencies = latencyHistogram();
  let next = 0;
  let errors = 0;
  let completed = 0;
  const cpuBefore = sampleCpu(run.processes ?? new Map());
  const started = process.hrtime.bigint();
  const deadline = Date.now() + run.durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: run.callers }, async () => {
      while (Date.now() < deadline) {
        const before = process.hrtime.bigint();
        try {
          await run.operation(next++);
          completed++;
          latencies.recordSince(before);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = sampleCpu(run.processes ?? new Map());
  return {
    name: run.name,
    connections: run.callers,
    perSecond: completed / elapsedSeconds,
    ...latencies.finish(),
    errors,
    non2xx: 0,
    total: completed,
    cpuMsPerRequest: cpuMsPerRequest(cpuBefore, cpuAfter, completed),
  };
}
