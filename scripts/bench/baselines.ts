/**
 * Baselines 1 and 2 as separate Node processes from dist/ (the bare HTTP app; the echo front and the
 * echo server on a vhost of their own), driven by autocannon exactly like the gateway.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../platform/repo-root';
import { createTestVhost } from '../../test/support/rabbitmq-vhost';
import { runLoad } from './load';
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

/** The bare HTTP app and the echo pair, running: measured first, and the echo again beside the targets' scenarios. */
export interface ProcessBaselines {
  /** Both baselines at each connection count. */
  measureAll(connections: readonly number[], durationSeconds: number, log: (line: string) => void): Promise<Measurement[]>;
  /** The echo alone, under another name (e.g. right before a scenario, so that both see the same machine). */
  measureEcho(name: string, connections: number, durationSeconds: number): Promise<Measurement>;
  peaks(): ProcessPeak[];
  stop(): Promise<void>;
}

export async function startProcessBaselines(): Promise<ProcessBaselines> {
  const vhost = createTestVhost('kvbench');
  const started: BaselineProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map(stop));
    vhost.delete();
  };
  try {
    const bare = startBaseline('bare-http', 'bare-http.main.js', { BENCH_PORT: '0' }, /listening on (\d+)/);
    const echoServer = startBaseline('echo-server', 'echo-server.main.js', { KV_RABBITMQ_URL: vhost.url }, /echo server consuming()/);
    started.push(bare, echoServer);
    await timed(echoServer.port, 30_000, 'echo server');
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
    return {
      async measureAll(connections, durationSeconds, log) {
        const measurements: Measurement[] = [];
        for (const count of connections) {
          measurements.push(await measure(Baseline.HTTP, `http://127.0.0.1:${barePort}`, '/constant?key=', [bare], count, durationSeconds));
          log(summaryLine(measurements[measurements.length - 1]));
          measurements.push(await measureEcho(Baseline.ECHO, count, durationSeconds));
          log(summaryLine(measurements[measurements.length - 1]));
        }
        return measurements;
      },
      measureEcho,
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
