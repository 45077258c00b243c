/**
 * The process baselines, separate Node processes from dist/: the bare HTTP app, and the echo front and the echo server
 * on a vhost of their own, driven by autocannon exactly like the gateway; and the bare amqplib server, on the same
 * vhost, driven by this process's bare amqplib client (bare-amqp.ts).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../platform/repo-root';
import { createTestVhost } from '../../test/support/rabbitmq-vhost';
import { bareAmqpClient, BareAmqpClient } from './bare-amqp';
import { runLoad } from './load';
import { runLoop } from './loop';
import { summaryLine } from './markdown';
import { Baseline, Measurement, ProcessPeak } from './report';
import { peakRssBytes } from './rss';
import { rotating } from './scenarios';
import { keyAt } from './seed';

interface BaselineProcess {
  name: string;
  child: ChildProcess;
  /** The port it printed once listening (`listening on <port>`); 0 for the echo server, which has no HTTP. */
  port: Promise<number>;
}

/** Starts a compiled baseline; `port` resolves when a stdout line matches `readyLine` (its group 1, the port, if any). */
function startBaseline(name: string, script: string, env: Record<string, string>, readyLine: RegExp): BaselineProcess {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/scripts/bench/baselines', script)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const match = readyLine.exec(chunk);
      if (match) resolve(Number(match[1] ?? 0));
    });
  });
  return { name, child, port };
}

async function stop(process: BaselineProcess): Promise<void> {
  if (process.child.exitCode !== null) return;
  const exited = new Promise((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGTERM');
  await exited;
}

const timed = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      setTimeout(() => reject(new Error(`${what} not ready within ${ms} ms`)), ms).unref();
    }),
  ]);

/** The bare HTTP app, the echo pair and the bare amqplib server, running: measured first, and again beside the targets' scenarios. */
export interface ProcessBaselines {
  /** The three baselines at each connection count, each after `warmupSeconds` unmeasured. */
  measureAll(
    connections: readonly number[],
    durationSeconds: number,
    warmupSeconds: number,
    log: (line: string) => void,
  ): Promise<Measurement[]>;
  /** The echo alone, under another name (e.g. right before a scenario, so that both see the same machine). */
  measureEcho(name: string, connections: number, durationSeconds: number): Promise<Measurement>;
  /** The HTTP constant alone, under another name. */
  measureHttp(name: string, connections: number, durationSeconds: number): Promise<Measurement>;
  peaks(): ProcessPeak[];
  stop(): Promise<void>;
}

export async function startProcessBaselines(): Promise<ProcessBaselines> {
  const vhost = createTestVhost('kvbench');
  const started: BaselineProcess[] = [];
  let bareClient: BareAmqpClient | undefined;
  const stopAll = async (): Promise<void> => {
    await bareClient?.close().catch(() => undefined);
    await Promise.all(started.map(stop));
    vhost.delete();
  };
  try {
    const bare = startBaseline('bare-http', 'bare-http.main.js', { BENCH_PORT: '0' }, /listening on (\d+)/);
    const echoServer = startBaseline('echo-server', 'echo-server.main.js', { KV_RABBITMQ_URL: vhost.url }, /echo server consuming()/);
    const bareAmqpServer = startBaseline(
      'bare-amqp-server',
      'bare-amqp-server.main.js',
      { KV_RABBITMQ_URL: vhost.url },
      /bare amqp server consuming()/,
    );
    started.push(bare, echoServer, bareAmqpServer);
    await timed(echoServer.port, 30_000, 'echo server');
    await timed(bareAmqpServer.port, 30_000, 'bare amqplib server');
    const client = await bareAmqpClient(vhost.url);
    bareClient = client;
    const echoFront = startBaseline(
      'echo-front',
      'echo-front.main.js',
      { BENCH_PORT: '0', KV_RABBITMQ_URL: vhost.url },
      /listening on (\d+)/,
    );
    started.push(echoFront);
    const [barePort, echoPort] = await Promise.all([timed(bare.port, 30_000, 'bare HTTP'), timed(echoFront.port, 30_000, 'echo front')]);

    const measure = (
      name: string,
      origin: string,
      path: string,
      involved: BaselineProcess[],
      connections: number,
      durationSeconds: number,
    ) => {
      const request = rotating((i) => ({ method: 'GET', path: `${path}${encodeURIComponent(keyAt(i))}` }))();
      const processes = new Map(involved.flatMap((p) => (p.child.pid === undefined ? [] : [[p.name, p.child.pid] as const])));
      return runLoad({ name, origin, request, connections, durationSeconds, processes });
    };
    const measureEcho = (name: string, connections: number, durationSeconds: number) =>
      measure(name, `http://127.0.0.1:${echoPort}`, '/echo?key=', [echoFront, echoServer], connections, durationSeconds);
    const measureHttp = (name: string, connections: number, durationSeconds: number) =>
      measure(name, `http://127.0.0.1:${barePort}`, '/constant?key=', [bare], connections, durationSeconds);
    const bareAmqpPid = bareAmqpServer.child.pid;
    const measureBareAmqp = (name: string, connections: number, durationSeconds: number) =>
      runLoop({
        name,
        callers: connections,
        durationSeconds,
        operation: (i) => client.roundTrip(i),
        processes: new Map(bareAmqpPid === undefined ? [] : [[bareAmqpServer.name, bareAmqpPid]]),
      });
    return {
      async measureAll(connections, durationSeconds, warmupSeconds, log) {
        const measurements: Measurement[] = [];
        const runs: [string, (name: string, count: number, seconds: number) => Promise<Measurement>][] = [
          [Baseline.HTTP, measureHttp],
          [Baseline.ECHO, measureEcho],
          [Baseline.BARE_AMQP, measureBareAmqp],
        ];
        for (const count of connections)
          for (const [name, run] of runs) {
            // Each after a warm-up, as the scenarios are: its code is cold at first, and idle between connection counts.
            if (warmupSeconds > 0) await run(`${name} (warm-up)`, count, warmupSeconds);
            const measured = await run(name, count, durationSeconds);
            measurements.push(measured);
            log(summaryLine(measured));
          }
        return measurements;
      },
      measureEcho,
      measureHttp,
      peaks: () =>
        started.map((p) => ({
          process: p.name,
          peakRssBytes: p.child.pid === undefined ? undefined : peakRssBytes(p.child.pid),
          platform: false,
        })),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
