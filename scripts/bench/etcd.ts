/**
 * etcd as the peer (issue 21): what a user might pick instead of this platform, measured in the same run. When `etcd` is
 * on the PATH (Debian's etcd-server), the bench starts one node on loopback ports of its own with its data in a scratch
 * folder, seeds the data set's keys with 200-byte values, and drives point get and put through its JSON gateway (v3:
 * POST /v3/kv/range and /v3/kv/put, key and value in base64) with the same load generator as the gateway. It is always
 * stopped and its folder removed, also when a measurement fails.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad } from './load';
import { summaryLine } from './markdown';
import { EtcdRun, Measurement, Peer } from './report';
import { rotating } from './scenarios';
import { keyAt, SEED_ENTRIES, valueAt } from './seed';

/** The connection counts etcd is measured at, whatever --connections says: the ones its comparison is made at. */
export const ETCD_CONNECTIONS = [1, 16, 64] as const;
const READY_TIMEOUT_MS = 30_000;
const SEED_CALLERS = 32;

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const etcdKey = (i: number): string => base64(`bench/${keyAt(i)}`);

/** `etcd --version`'s first line (e.g. `etcd Version: 3.4.23`), or undefined when there is no etcd to run. */
function etcdVersion(): string | undefined {
  try {
    const firstLine = execFileSync('etcd', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
    return /Version:\s*(\S+)/.exec(firstLine ?? '')?.[1] ?? firstLine?.trim();
  } catch {
    return undefined;
  }
}

/** A loopback port free right now (the kernel's pick); etcd takes no port 0 of its own. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface RunningEtcd {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

async function startEtcd(log: (line: string) => void): Promise<RunningEtcd> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kvbench-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name=kvbench',
      `--data-dir=${join(dataDir, 'data')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=kvbench=${peer}`,
      '--logger=zap',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-2000)));
  // Should the bench die before its `finally`, etcd must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}: ${output}`);
      const health = await fetch(`${client}/health`).then(
        (response) => response.json() as Promise<{ health?: string }>,
        () => undefined,
      );
      if (health?.health === 'true') break;
      if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`etcd not healthy within ${READY_TIMEOUT_MS} ms: ${output}`);
      await sleep(100);
    }
    log(`etcd ${child.pid} on ${client}, data in ${dataDir}`);
    return { origin: client, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function call(origin: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${origin}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

/** Every key of the data set with its value, SEED_CALLERS puts at a time; then a read to check that the gateway answers with the value. */
async function seedEtcd(origin: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CALLERS }, async () => {
      for (let i = next++; i < SEED_ENTRIES; i = next++) await call(origin, '/v3/kv/put', { key: etcdKey(i), value: base64(valueAt(i)) });
    }),
  );
  const read = (await call(origin, '/v3/kv/range', { key: etcdKey(7) })) as { kvs?: { value?: string }[] };
  const value = read.kvs?.[0]?.value;
  if (value === undefined || Buffer.from(value, 'base64').toString() !== valueAt(7))
    throw new Error(`etcd's range did not answer the value seeded: ${JSON.stringify(read).slice(0, 300)}`);
}

const getRequest = rotating((i) => ({ method: 'POST', path: '/v3/kv/range', body: JSON.stringify({ key: etcdKey(i) }) }));
const putRequest = rotating((i) => ({
  method: 'POST',
  path: '/v3/kv/put',
  body: JSON.stringify({ key: etcdKey(i), value: base64(valueAt(i, 1 + Math.floor(i / SEED_ENTRIES))) }),
}));

/** etcd at ETCD_CONNECTIONS, get then put at each, each after `warmupSeconds` unmeasured; not measured without etcd. */
export async function runEtcd(durationSeconds: number, warmupSeconds: number, log: (line: string) => void): Promise<EtcdRun> {
  const version = etcdVersion();
  if (version === undefined) return { notMeasured: 'etcd is not installed (`apt-get install etcd-server`: see the README, "Benchmark")' };
  const etcd = await startEtcd(log);
  try {
    await seedEtcd(etcd.origin);
    const measurements: Measurement[] = [];
    const processes = new Map([['etcd', etcd.pid]]);
    for (const connections of ETCD_CONNECTIONS)
      for (const [name, request] of [
        [Peer.ETCD_GET, getRequest],
        [Peer.ETCD_PUT, putRequest],
      ] as const) {
        if (warmupSeconds > 0)
          await runLoad({
            name: `${name} (warm-up)`,
            origin: etcd.origin,
            request: request(),
            connections,
            durationSeconds: warmupSeconds,
          });
        const measured = await runLoad({ name, origin: etcd.origin, request: request(), connections, durationSeconds, processes });
        measurements.push(measured);
        log(summaryLine(measured));
      }
    return { version, measurements };
  } finally {
    await etcd.stop();
  }
}
