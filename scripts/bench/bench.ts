/**
 * `npm run bench` (issues 7 and 21): baselines, then etcd (when installed), then the gateway scenarios on a seeded
 * platform, then the watch fan-out (issue 20) on a platform of its own, then the report: docs/benchmark.md,
 * bench/results/<date>-<commit>.json, and PASS/MISS per target. `--watch-only` runs the watch fan-out alone.
 * Runs through ts-node so that it can reuse the e2e harness (test/support); the processes it measures
 * run from dist/, which `npm run bench` builds first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { QUEUE_TYPES, QueueType } from '@app/service-kit';
import { repoRoot } from '../platform/repo-root';
import { ProcessBaselines, startProcessBaselines } from './baselines';
import { ETCD_CONNECTIONS, runEtcd } from './etcd';
import { runLoad } from './load';
import {
  END_MARKER,
  etcdMeasurements,
  renderDeltas,
  renderResults,
  renderWatchFanOut,
  spliceGenerated,
  spliceWatch,
  START_MARKER,
  summaryLine,
} from './markdown';
import { attachToPlatform, BENCH_ENV, PlatformUnderTest, startScratchPlatform, watchLimitsFor } from './platform';
import { runPostgresBaselines } from './postgres-baseline';
import {
  Baseline,
  BenchResults,
  besideName,
  compare,
  EtcdRun,
  evaluateTargets,
  failed,
  LONE,
  Measurement,
  ProcessPeak,
  referenceOf,
  REQUEST_QUEUE_SCENARIOS,
  requestQueueName,
  RunMeta,
  TRACED_SCENARIOS,
  TracingCost,
  tracingName,
  SATURATED,
  WATCH_TARGET,
} from './report';
import { startOtlpSink } from './otlp-sink';
import { peakRssBytes } from './rss';
import { gatewayScenarios, ScenarioDefinition, warmUpScenario } from './scenarios';
import { seed, SeededNamespaces, unseed } from './seed';
import { runWatchFanOut } from './watch-fan-out';
import { WatchFanOut, watchFailures } from './watch-stats';

interface Options {
  duration: number;
  warmup: number;
  connections: number[];
  url?: string;
  token?: string;
  compare?: string;
  requestQueueType: QueueType;
  /** Measure what tracing costs (`--no-tracing`: false). */
  tracing: boolean;
  metricsUrl?: string;
  watchOnly: boolean;
  watchers: number;
  watchWrites: number;
  watchSpacing: number;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return parsed;
}

const program = new Command()
  .name('npm run bench --')
  .description('Benchmark the gateway against HTTP, messaging and storage baselines and etcd, and judge the targets (issues 7 and 21)')
  .option('--duration <seconds>', 'seconds per scenario and connection count', (v) => Number.parseInt(v, 10), 10)
  .option('--warmup <seconds>', 'unmeasured seconds of each scenario before its measurements', (v) => Number.parseInt(v, 10), 3)
  .option(
    '--connections <list>',
    `comma-separated connection counts (the targets are judged at ${LONE} and ${SATURATED}; etcd is measured at ${ETCD_CONNECTIONS.join(', ')} whatever this says)`,
    (v) => v.split(',').map((c) => Number.parseInt(c, 10)),
    [LONE, 16, SATURATED],
  )
  .option('--url <url>', 'a running gateway instead of a scratch platform (needs --token)', process.env.KV_URL)
  .option('--token <jwt>', 'token for --url: every permission on application kv-bench', process.env.KV_TOKEN)
  .option('--compare <file>', 'print the deltas against an earlier results JSON')
  .addOption(
    new Option(
      '--request-queue-type <type>',
      `quorum: also measure ${REQUEST_QUEUE_SCENARIOS.join(' and ')} on a second platform with quorum request queues, beside classic ones`,
    )
      .choices(QUEUE_TYPES)
      .default('classic'),
  )
  .option('--no-tracing', `skip measuring ${TRACED_SCENARIOS.join(' and ')} again on a second platform tracing every request`)
  .option('--metrics-url <url>', "the gateway's Prometheus metrics, for --url (the watch fan-out reads its memory and open watches)")
  .option('--watch-only', 'only the watch fan-out (issue 20), on a platform of its own', false)
  .option('--watchers <n>', 'watchers of the watch fan-out, all on one gateway', positiveInteger, 1000)
  .option('--watch-writes <n>', 'writes the watchers are to get', positiveInteger, WATCH_TARGET.writes)
  .option('--watch-spacing <ms>', 'milliseconds between a write every watcher had and the next', positiveInteger, 250);

const log = (line: string): void => console.log(`[bench] ${line}`);
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8' }).trim();

function runMeta(options: Options, target: string, loadAtStart: number): RunMeta {
  const dirty = git('status', '--porcelain').length > 0;
  return {
    date: new Date().toISOString(),
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    connections: options.connections,
    logLevel: BENCH_ENV.KV_LOG_LEVEL,
    loadAverage: [loadAtStart, loadavg()[0]],
    target,
  };
}

/** A platform's scenarios, each with its warm-up and its measurement there (CPU counted for that platform's processes). */
function scenarioRunner(platform: PlatformUnderTest, namespaces: SeededNamespaces, options: Options) {
  const { origin, pathname } = new URL(platform.apiUrl);
  const scenarios = gatewayScenarios(pathname, namespaces, { authorization: `Bearer ${platform.token}` });
  return {
    scenarios,
    named: (name: string): ScenarioDefinition => scenarios.find((candidate) => candidate.name === name)!,
    warmUp: (scenario: ScenarioDefinition, connections: number): Promise<void> =>
      warmUpScenario(scenario, origin, connections, options.warmup),
    measure: (scenario: ScenarioDefinition, name: string, connections: number): Promise<Measurement> =>
      runLoad({
        name,
        origin,
        request: scenario.request(),
        connections,
        durationSeconds: options.duration,
        processes: platform.processIds,
      }),
  };
}

/**
 * Every scenario at every connection count. A judged scenario (see REFERENCE_OF) is, at the connection count it is
 * judged at, measured between two runs of its reference (the echo, the HTTP constant, or another scenario) into
 * `beside`, so that both see the same machine. Everything measured follows a warm-up: processes that idled get cold
 * code, and the platform's pools close connections idle for 10 s.
 */
async function runScenarios(
  platform: PlatformUnderTest,
  namespaces: SeededNamespaces,
  options: Options,
  baselines: ProcessBaselines,
  beside: Measurement[],
): Promise<Measurement[]> {
  const { scenarios, named, warmUp, measure } = scenarioRunner(platform, namespaces, options);
  const measureReference = async (reference: string, scenario: string, when: 'before' | 'after', connections: number): Promise<void> => {
    const name = besideName(reference, scenario, when);
    let result: Measurement;
    const baseline = { [Baseline.ECHO]: baselines.measureEcho, [Baseline.HTTP]: baselines.measureHttp }[reference];
    if (baseline) {
      if (options.warmup > 0) await baseline(`${reference} (warm-up)`, connections, options.warmup);
      result = await baseline(name, connections, options.duration);
    } else {
      const definition = named(reference);
      await warmUp(definition, connections);
      result = await measure(definition, name, connections);
    }
    beside.push(result);
    log(summaryLine(result));
  };

  const measurements: Measurement[] = [];
  for (const scenario of scenarios) {
    await warmUp(scenario, Math.max(...options.connections));
    for (const connections of options.connections) {
      const reference = referenceOf(scenario.name, connections);
      if (reference !== undefined) {
        await measureReference(reference, scenario.name, 'before', connections);
        await warmUp(scenario, connections);
      }
      const result = await measure(scenario, scenario.name, connections);
      measurements.push(result);
      log(summaryLine(result));
      if (reference !== undefined) await measureReference(reference, scenario.name, 'after', connections);
    }
  }
  return measurements;
}

/**
 * `scenarios` on `first` (the seeded platform of the run) and on a second platform started with `env`, both running,
 * measured back to back at each connection count so that both see the same machine; `nameOf` names each measurement.
 */
async function runBesideSecondPlatform(
  first: PlatformUnderTest,
  firstNamespaces: SeededNamespaces,
  env: Record<string, string>,
  scenarios: readonly string[],
  connectionCounts: readonly number[],
  nameOf: (scenario: string, second: boolean) => string,
  options: Options,
): Promise<Measurement[]> {
  const second = await startScratchPlatform(env);
  try {
    const runners = [
      { second: false, runner: scenarioRunner(first, firstNamespaces, options) },
      { second: true, runner: scenarioRunner(second, await seed(second.apiUrl, second.token, log), options) },
    ];
    const measurements: Measurement[] = [];
    for (const scenario of scenarios)
      for (const connections of connectionCounts)
        for (const { second: isSecond, runner } of runners) {
          await runner.warmUp(runner.named(scenario), connections);
          const result = await runner.measure(runner.named(scenario), nameOf(scenario, isSecond), connections);
          measurements.push(result);
          log(summaryLine(result));
        }
    return measurements;
  } finally {
    await second.stop();
  }
}

/** REQUEST_QUEUE_SCENARIOS with classic request queues (the run's platform) and with `queueType` ones. */
function runRequestQueueScenarios(
  classic: PlatformUnderTest,
  classicNamespaces: SeededNamespaces,
  queueType: QueueType,
  options: Options,
): Promise<Measurement[]> {
  log(`starting a second platform with ${queueType} request queues`);
  return runBesideSecondPlatform(
    classic,
    classicNamespaces,
    { KV_RABBITMQ_REQUEST_QUEUE_TYPE: queueType },
    REQUEST_QUEUE_SCENARIOS,
    options.connections,
    (scenario, second) => requestQueueName(scenario, second ? queueType : 'classic'),
    options,
  );
}

/**
 * TRACED_SCENARIOS at the highest connection count on the run's platform and on one tracing every request (sample ratio
 * 1, OTLP/HTTP protobuf, as a production collector takes it) to a sink that keeps nothing: tracing's CPU per request.
 */
async function runTracingCost(platform: PlatformUnderTest, namespaces: SeededNamespaces, options: Options): Promise<TracingCost> {
  log('starting a second platform tracing every request');
  const sink = await startOtlpSink();
  try {
    const measurements = await runBesideSecondPlatform(
      platform,
      namespaces,
      {
        KV_TRACING_ENABLED: 'true',
        KV_TRACING_SAMPLE_RATIO: '1',
        KV_TRACING_OTLP_ENDPOINT: sink.url,
        KV_TRACING_OTLP_PROTOCOL: 'http/protobuf',
      },
      TRACED_SCENARIOS,
      [Math.max(...options.connections)],
      tracingName,
      options,
    );
    const { exports, bytes } = sink.received();
    log(`the traced platform exported ${exports} times, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    return { measurements, exports, exportedBytes: bytes };
  } finally {
    await sink.stop();
  }
}

function skeleton(generated: string): string {
  return `# Benchmark

The latest results of \`npm run bench\` (issues 7 and 21), regenerated by every run between the markers below;
how to run it, what it measures and what each target means are in the README ("Benchmark"). Earlier runs, for
comparisons (\`npm run bench -- --compare bench/results/<file>.json\`), are in \`bench/results/\`.

${generated}

## Where the time goes
`;
}

/** `watchOnly`: only the watch fan-out of docs/benchmark.md is regenerated, and the JSON is named apart (`-watch`). */
function writeReports(results: BenchResults, watchOnly: boolean): string {
  const root = repoRoot();
  const doc = join(root, 'docs', 'benchmark.md');
  const existing = existsSync(doc) ? readFileSync(doc, 'utf8') : undefined;
  const withResults = watchOnly
    ? (existing ?? skeleton(`${START_MARKER}\nNo full run yet: \`npm run bench\` writes its results here.\n${END_MARKER}`))
    : spliceGenerated(existing, renderResults(results), skeleton);
  writeFileSync(doc, results.watch ? spliceWatch(withResults, renderWatchFanOut(results.meta, results.watch)) : withResults);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const json = join(root, 'bench', 'results', `${results.meta.date.slice(0, 10)}-${results.meta.commit}${watchOnly ? '-watch' : ''}.json`);
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  return json;
}

/** etcd's measurements, or why there are none: a failure of etcd is reported, and the run goes on without it. */
async function runPeer(options: Options): Promise<EtcdRun> {
  try {
    const etcd = await runEtcd(options.duration, options.warmup, log);
    if ('notMeasured' in etcd) log(`etcd: not measured (${etcd.notMeasured})`);
    return etcd;
  } catch (error) {
    const reason = `it failed: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`!!! etcd ${reason}`);
    return { notMeasured: reason };
  }
}

/** The baselines, etcd, the gateway scenarios (and the request-queue ones, if asked): everything of a run but the watch fan-out. */
async function runHttpBench(options: Options): Promise<Omit<BenchResults, 'meta' | 'watch' | 'targets'> & { platform: string }> {
  log(`baselines: ${options.duration} s each at ${options.connections.join(', ')} connections`);
  const processBaselines = await startProcessBaselines();
  let baselines: Measurement[];
  let scenarios: Measurement[];
  let beside: Measurement[];
  let requestQueues: Measurement[] | undefined;
  let tracing: TracingCost | undefined;
  let processes: ProcessPeak[];
  let etcd: EtcdRun;
  let platformDescription: string;
  try {
    const processMeasurements = await processBaselines.measureAll(options.connections, options.duration, options.warmup, log);
    const storage = await runPostgresBaselines(options.connections, options.duration, log);
    etcd = await runPeer(options);
    const measuredBeside: Measurement[] = [];

    log(
      options.url
        ? `using the gateway at ${options.url}`
        : 'starting the platform on scratch databases and a vhost (every process at KV_LOG_LEVEL=warn)',
    );
    const platform = options.url && options.token ? attachToPlatform(options.url, options.token) : await startScratchPlatform();
    platformDescription = platform.describe;
    let platformPeaks: ProcessPeak[];
    try {
      const namespaces = await seed(platform.apiUrl, platform.token, log);
      try {
        scenarios = await runScenarios(platform, namespaces, options, processBaselines, measuredBeside);
      } finally {
        if (options.url) await unseed(platform.apiUrl, platform.token, namespaces);
      }
      // VmHWM is a high-water mark: read while the processes live, it is the peak of the whole run.
      platformPeaks = ['gateway', 'kv-entry', 'secrets', 'audit'].map((name) => {
        const pid = platform.processIds.get(name);
        return { process: name, peakRssBytes: pid === undefined ? undefined : peakRssBytes(pid), platform: true };
      });
      if (options.requestQueueType !== 'classic')
        requestQueues = await runRequestQueueScenarios(platform, namespaces, options.requestQueueType, options);
      if (options.tracing && !options.url) tracing = await runTracingCost(platform, namespaces, options);
    } finally {
      await platform.stop();
    }
    baselines = [...processMeasurements, ...storage];
    beside = measuredBeside;
    processes = [...platformPeaks, ...processBaselines.peaks()];
  } finally {
    await processBaselines.stop();
  }
  return {
    platform: platformDescription,
    baselines,
    scenarios,
    beside,
    processes,
    etcd,
    ...(requestQueues ? { requestQueues } : {}),
    ...(tracing ? { tracing } : {}),
  };
}

/**
 * The watch fan-out on a platform of its own (so that its gateway's memory owes nothing to the scenarios before it), whose
 * watch limits let one principal open every watcher and whose gateway the bench can force to collect garbage; or on --url.
 */
async function runWatchScenario(options: Options): Promise<WatchFanOut> {
  log(
    options.url
      ? `watch fan-out: using the gateway at ${options.url} (its KV_WATCH_MAX_PER_PRINCIPAL must allow ${options.watchers})`
      : 'watch fan-out: starting a platform of its own, its gateway with an inspector on a loopback port',
  );
  const platform =
    options.url && options.token
      ? attachToPlatform(options.url, options.token, options.metricsUrl)
      : await startScratchPlatform(watchLimitsFor(options.watchers), { inspectGateway: true });
  try {
    return await runWatchFanOut(
      platform,
      { watchers: options.watchers, writes: options.watchWrites, spacingMs: options.watchSpacing },
      log,
    );
  } finally {
    await platform.stop();
  }
}

function logWatchFanOut(watch: WatchFanOut): void {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  log(
    `watch fan-out, ${watch.watchers} watchers × ${watch.writes} writes: delivery p50 ${ms(watch.delivery.p50Ms)} p99 ${ms(watch.delivery.p99Ms)}; ` +
      `last watcher p50 ${ms(watch.lastWatcher.p50Ms)} p99 ${ms(watch.lastWatcher.p99Ms)}; PUT p50 ${ms(watch.put.p50Ms)} p99 ${ms(watch.put.p99Ms)}`,
  );
  if (watch.memory)
    log(
      `gateway memory per watcher: RSS ${(watch.memory.perWatcher.rssBytes / 1024).toFixed(1)} KB, ` +
        `heap ${(watch.memory.perWatcher.heapUsedBytes / 1024).toFixed(1)} KB`,
    );
  if (watch.watchesOpen) log(`kv_gateway_watches_open: ${watch.watchesOpen.open} open, ${watch.watchesOpen.afterClose} after closing`);
}

async function main(): Promise<number> {
  const options = program.parse().opts<Options>();
  if (options.url && !options.token) throw new Error('--url needs --token (or KV_TOKEN)');
  // The second platform is started by the bench, and the pair must differ only in their request queues.
  if (options.url && options.requestQueueType !== 'classic') throw new Error('--request-queue-type needs the scratch platform, not --url');
  if (options.watchOnly && options.requestQueueType !== 'classic')
    throw new Error('--request-queue-type needs the full run, not --watch-only');
  const loadAtStart = loadavg()[0];

  const http = options.watchOnly ? undefined : await runHttpBench(options);
  // After the quarter of an hour of a full run, a fan-out that fails must not take the results before it along.
  const watch = await runWatchScenario(options).catch((error: unknown) => {
    if (!http) throw error;
    console.error(`!!! the watch fan-out failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (watch) logWatchFanOut(watch);
  const { platform, ...measured } = http ?? {
    platform: watch!.platform,
    baselines: [],
    scenarios: [],
    beside: [],
    processes: [],
  };
  const results: BenchResults = {
    meta: runMeta(options, platform, loadAtStart),
    ...measured,
    targets: evaluateTargets({ ...measured, watch }),
    ...(watch ? { watch } : {}),
  };
  const json = writeReports(results, options.watchOnly);
  log(`wrote docs/benchmark.md and ${json}`);

  const watchInvalid = watch ? watchFailures(watch) : ['it did not complete'];
  if (watchInvalid.length > 0) {
    console.error('\n!!! WATCH FAN-OUT FAILED: its results are not valid !!!');
    for (const failure of watchInvalid) console.error(`!!! ${failure}`);
  }
  console.log('\nTargets:');
  for (const target of results.targets) console.log(`  ${target.status.padEnd(4)}  ${target.target}: ${target.actual}`);
  if (!http) return watchInvalid.length > 0 ? 1 : 0;

  const { baselines, scenarios, beside = [], requestQueues } = results;
  const etcd = etcdMeasurements(results.etcd);

  if (options.compare) {
    const before = JSON.parse(readFileSync(options.compare, 'utf8')) as BenchResults;
    console.log(`\nCompared with ${options.compare} (${before.meta.commit}, ${before.meta.date}):`);
    console.log(
      renderDeltas(
        compare(
          [
            ...before.baselines,
            ...before.scenarios,
            ...(before.beside ?? []),
            ...(before.requestQueues ?? []),
            ...etcdMeasurements(before.etcd),
          ],
          [...baselines, ...scenarios, ...beside, ...(requestQueues ?? []), ...etcd],
        ),
      ),
    );
  }

  const failures = failed([...baselines, ...scenarios, ...beside, ...(requestQueues ?? []), ...etcd]);
  if (failures.length > 0) {
    console.error('\n!!! REQUESTS FAILED: the results above are not valid !!!');
    for (const m of failures) console.error(`!!! ${summaryLine(m)}`);
  }
  return failures.length > 0 || watchInvalid.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
