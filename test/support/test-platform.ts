import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '../../scripts/platform/databases';
import { RunningService, startService, stopService, waitUntilReady } from '../../scripts/platform/processes';
import { SERVICES, ServiceDefinition, ServiceName } from '../../scripts/platform/services';
import { createScratchDatabase, ScratchDatabase } from './scratch-database';
import { TEST_QUEUE_TYPES, createVhost, deleteVhost } from './rabbitmq-vhost';

export interface TestPlatformState {
  runId: string;
  gatewayUrl: string;
  jwtSecret: string;
  masterKey: string;
  logDir: string;
  databaseUrls: Record<string, string>;
  rabbitmqUrl: string;
  /** Where each process serves Prometheus metrics. */
  metricsUrls: Record<string, string>;
}

// Below Linux's ephemeral range (32768-60999): a port picked there could be taken, before the service
// binds it, as the local port of some outgoing connection (to Postgres, say), failing with EADDRINUSE.
const PORT_RANGE = { first: 20_000, last: 32_767 };

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

// Ports handed out by this test process: a platform's processes bind theirs only later.
const handedOut = new Set<number>();

/** A port nothing listens on, picked at random outside the ephemeral range so that parallel runs rarely meet. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = PORT_RANGE.first + Math.floor(Math.random() * (PORT_RANGE.last - PORT_RANGE.first + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${PORT_RANGE.first} and ${PORT_RANGE.last}`);
}

/**
 * The whole platform as real processes from dist/, on scratch databases and a vhost of its own.
 * Every process's output is kept in a log file, so that tests can search it (for planted secrets, say).
 */
export class TestPlatform {
  private readonly running = new Map<ServiceName, RunningService>();
  private readonly logs: WriteStream[] = [];
  private readonly envOverrides = new Map<ServiceName, Record<string, string>>();
  private readonly crashes: string[] = [];

  private constructor(
    readonly state: TestPlatformState,
    private readonly databases: ScratchDatabase[],
    private readonly vhost: string,
    private readonly ports: Map<ServiceName, number>,
    private readonly extraEnv: Record<string, string>,
  ) {}

  /**
   * `extraEnv` goes to every process; `serviceEnv` gives some processes more, from the platform's state
   * (e.g. a broker URL through a TcpProxy for the services only).
   */
  static async start(
    extraEnv: Record<string, string> = {},
    serviceEnv: (state: TestPlatformState) => Partial<Record<ServiceName, Record<string, string>>> = () => ({}),
  ): Promise<TestPlatform> {
    const runId = `kvtest_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const databases: ScratchDatabase[] = [];
    const databaseUrls: Record<string, string> = {};
    for (const service of SERVICES) {
      if (!service.database) continue;
      const database = await createScratchDatabase(`${runId}_${service.database.defaultName}`);
      databases.push(database);
      await runMigrations(service.database.options(database.url));
      databaseUrls[service.name] = database.url;
    }
    const rabbitmqUrl = createVhost(runId);
    const ports = new Map<ServiceName, number>();
    for (const service of SERVICES) ports.set(service.name, await freePort());
    const gatewayMetricsPort = await freePort();
    const metricsUrls = Object.fromEntries(
      SERVICES.map((service) => [
        service.name,
        service.name === 'gateway'
          ? `http://127.0.0.1:${gatewayMetricsPort}/metrics`
          : `http://127.0.0.1:${ports.get(service.name)}/metrics`,
      ]),
    );
    const state: TestPlatformState = {
      runId,
      gatewayUrl: `http://127.0.0.1:${ports.get('gateway')}/api/v1/kv`,
      jwtSecret: randomBytes(32).toString('base64url'),
      masterKey: randomBytes(32).toString('base64'),
      logDir: mkdtempSync(join(tmpdir(), `${runId}-logs-`)),
      databaseUrls,
      rabbitmqUrl,
      metricsUrls,
    };
    const platform = new TestPlatform(state, databases, runId, ports, extraEnv);
    for (const [name, env] of Object.entries(serviceEnv(state))) platform.envOverrides.set(name as ServiceName, env);
    try {
      for (const service of SERVICES) await platform.startOne(service);
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  private envFor(service: ServiceDefinition): Record<string, string> {
    return {
      NODE_ENV: 'test',
      KV_LOG_LEVEL: 'trace',
      KV_RABBITMQ_URL: this.state.rabbitmqUrl,
      ...TEST_QUEUE_TYPES,
      KV_JWT_SECRET: this.state.jwtSecret,
      KV_MASTER_KEY: this.state.masterKey,
      KV_RPC_TIMEOUT_MS: '3000',
      KV_EXPIRY_SWEEP_INTERVAL_MS: '500',
      // Every test calls from 127.0.0.1, and many are refused on purpose: the limit has a spec of its own.
      KV_REFUSED_RATE_LIMIT_REQUESTS: '1000000',
      ...(service.name === 'gateway' ? { KV_METRICS_PORT: new URL(this.state.metricsUrls.gateway!).port } : {}),
      ...(this.state.databaseUrls[service.name] ? { KV_DATABASE_URL: this.state.databaseUrls[service.name] } : {}),
      ...this.extraEnv,
      ...this.envOverrides.get(service.name),
    };
  }

  /**
   * Starts a service again (after `stopOne`), with the same port, database and log file; `envOverride`
   * changes its environment from now on (a new keyring, say).
   */
  async startAgain(name: ServiceName, envOverride: Record<string, string> = {}): Promise<void> {
    const service = SERVICES.find((definition) => definition.name === name);
    if (!service) throw new Error(`unknown service ${name}`);
    this.envOverrides.set(name, { ...this.envOverrides.get(name), ...envOverride });
    await this.startOne(service);
  }

  /** The environment a service runs with, for running its commands (e.g. key rotation) the same way. */
  environmentOf(name: ServiceName): Record<string, string> {
    const service = SERVICES.find((definition) => definition.name === name);
    if (!service) throw new Error(`unknown service ${name}`);
    return this.envFor(service);
  }

  private async startOne(service: ServiceDefinition): Promise<void> {
    const log = createWriteStream(join(this.state.logDir, `${service.name}.log`), { flags: 'a' });
    this.logs.push(log);
    const running = startService(service, this.ports.get(service.name) ?? 0, this.envFor(service), (line) => log.write(`${line}\n`));
    this.running.set(service.name, running);
    running.process.once('exit', (code, signal) => {
      // A process the test stopped or killed has left `running` already.
      if (this.running.get(service.name) === running) this.crashes.push(`${service.name} exited (code ${code}, signal ${signal})`);
    });
    await waitUntilReady(running);
  }

  async stopOne(name: ServiceName): Promise<void> {
    const running = this.running.get(name);
    this.running.delete(name);
    if (running) await stopService(running);
  }

  /**
   * Starts one more instance of a service, as a rolling update does: same database and queue, a port of
   * its own. The caller stops it (`stopService`).
   */
  async startReplica(name: ServiceName): Promise<RunningService> {
    const service = SERVICES.find((definition) => definition.name === name);
    if (!service) throw new Error(`unknown service ${name}`);
    const log = createWriteStream(join(this.state.logDir, `${service.name}-replica.log`), { flags: 'a' });
    this.logs.push(log);
    const replica = startService(service, await freePort(), this.envFor(service), (line) => log.write(`${line}\n`));
    await waitUntilReady(replica);
    return replica;
  }

  /** The running process of a service, e.g. to see how it exited after `stopOne`. */
  processOf(name: ServiceName): RunningService['process'] | undefined {
    return this.running.get(name)?.process;
  }

  /** The process id of each running service (the benchmark reads their peak memory). */
  processIds(): Map<ServiceName, number> {
    const ids = new Map<ServiceName, number>();
    for (const [name, running] of this.running) if (running.process.pid !== undefined) ids.set(name, running.process.pid);
    return ids;
  }

  /** Processes that ended without the test stopping them. */
  unexpectedExits(): string[] {
    return [...this.crashes];
  }

  /** Kills a service at once (SIGKILL): no shutdown hook runs, whatever it had in flight is cut short. */
  async killOne(name: ServiceName): Promise<void> {
    const child = this.running.get(name)?.process;
    this.running.delete(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    for (const name of [...this.running.keys()].reverse()) await this.stopOne(name);
    await Promise.all(this.logs.map((log) => new Promise<void>((resolve) => log.end(() => resolve()))));
    await Promise.all(this.databases.map((database) => database.drop()));
    deleteVhost(this.vhost);
  }
}
