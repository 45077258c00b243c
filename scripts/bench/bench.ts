/**
 * `npm run bench` (issue 7): baselines, then the gateway scenarios on a seeded platform, then the
 * report: docs/benchmark.md, bench/results/<date>-<commit>.json, and PASS/MISS per target.
 * Runs through ts-node so that it can reuse the e2e harness (test/support); the processes it measures
 * run from dist/, which `npm run bench` builds first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '../platform/repo-root';
import { ProcessBaselines, startProcessBaselines } from './baselines';
import { runLoad } from './load';
import { renderDeltas, renderResults, spliceGenerated, summaryLine } from './markdown';
import { attachToPlatform, BENCH_ENV, PlatformUnderTest, startScratchPlatform } from './platform';
import { runPostgresBaselines } from './postgres-baseline';
import { Baseline, BenchResults, compare, ECHO_JUDGED, echoBeside, evaluateTargets, failed, Measurement, ProcessPeak, RunMeta, TARGET_CONNECTIONS } from './report';
import { peakRssBytes } from './rss';
import { gatewayScenarios } from './scenarios';
import { seed, SeededNamespaces, unseed } from './seed';

interface Options {
  duration: number;
  warmup: number;
  connections: number[];
  url?: string;
  token?: string;
  compare?: string;
}

const program = new Command()
  .name('npm run bench --')
  .description('Benchmark the gateway against HTTP, messaging and storage baselines (issue 7)')
  .option('--duration <seconds>', 'seconds per scenario and connection count', (v) => Number.parseInt(v, 10), 10)
  .option('--warmup <seconds>', 'unmeasured seconds of each scenario before its measurements', (v) => Number.parseInt(v, 10), 3)
  .option('--connections <list>', 'comma-separated connection counts', (v) => v.split(',').map((c) => Number.parseInt(c, 10)), [1, 16, 64])
  .option('--url <url>', 'a running gateway instead of a scratch platform (needs --token)', process.env.KV_URL)
  .option('--token <jwt>', 'token for --url: every permission on application kv-bench', process.env.KV_TOKEN)
  .option('--compare <file>', 'print the deltas against an earlier results JSON');

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

/**
 * Every scenario at every connection count. The scenarios judged against the echo are, at the target
 * connection count, measured between two echo runs (into `besideEcho`), so that both see the same machine.
 */
async function runScenarios(
  platform: PlatformUnderTest,
  namespaces: SeededNamespaces,
  options: Options,
  baselines: ProcessBaselines,
  besideEcho: Measurement[],
): Promise<Measurement[]> {
  const { origin, pathname } = new URL(platform.apiUrl);
  const measurements: Measurement[] = [];
  const echoBesides = async (scenario: string, when: 'before' | 'after', connections: number): Promise<void> => {
    // The echo's processes idled through the scenarios before: their code is cold again.
    if (options.warmup > 0) await baselines.measureEcho(`${Baseline.ECHO} (warm-up)`, connections, options.warmup);
    const echo = await baselines.measureEcho(echoBeside(scenario, when), connections, options.duration);
    besideEcho.push(echo);
    log(summaryLine(echo));
  };
  for (const scenario of gatewayScenarios(pathname, namespaces, { authorization: `Bearer ${platform.token}` })) {
    // Unmeasured load first: JIT, pools and caches settle, so that the first measurement is not the cold one.
    if (options.warmup > 0) {
      const connections = Math.max(...options.connections);
      await runLoad({ name: `${scenario.name} (warm-up)`, origin, request: scenario.request(), connections, durationSeconds: options.warmup });
    }
    for (const connections of options.connections) {
      const judged = connections === TARGET_CONNECTIONS && (ECHO_JUDGED as readonly string[]).includes(scenario.name);
      if (judged) {
        await echoBesides(scenario.name, 'before', connections);
        // The platform idled through the echo, and its pools closed idle connections (after 10 s): warm up
        // again, so that the measurement runs on open connections (whose backends the CPU table counts).
        if (options.warmup > 0) await runLoad({ name: `${scenario.name} (warm-up)`, origin, request: scenario.request(), connections, durationSeconds: options.warmup });
      }
      const result = await runLoad({
        name: scenario.name,
        origin,
        request: scenario.request(),
        connections,
        durationSeconds: options.duration,
        processes: platform.processIds,
      });
      measurements.push(result);
      log(summaryLine(result));
      if (judged) await echoBesides(scenario.name, 'after', connections);
    }
  }
  return measurements;
}

function skeleton(generated: string): string {
  return `# Benchmark

The latest results of \`npm run bench\` (issue 7), regenerated by every run between the markers below;
how to run it and what it measures are in the README ("Benchmark"). Earlier runs, for comparisons
(\`npm run bench -- --compare bench/results/<file>.json\`), are in \`bench/results/\`.

${generated}

## Where the time goes
`;
}

function writeReports(results: BenchResults): string {
  const root = repoRoot();
  const doc = join(root, 'docs', 'benchmark.md');
  writeFileSync(doc, spliceGenerated(existsSync(doc) ? readFileSync(doc, 'utf8') : undefined, renderResults(results), skeleton));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const json = join(root, 'bench', 'results', `${results.meta.date.slice(0, 10)}-${results.meta.commit}.json`);
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  return json;
}

async function main(): Promise<number> {
  const options = program.parse().opts<Options>();
  if (options.url && !options.token) throw new Error('--url needs --token (or KV_TOKEN)');
  const loadAtStart = loadavg()[0];

  log(`baselines: ${options.duration} s each at ${options.connections.join(', ')} connections`);
  const processBaselines = await startProcessBaselines();
  let baselines: Measurement[];
  let scenarios: Measurement[];
  let processes: ProcessPeak[];
  let platformDescription: string;
  try {
    const processMeasurements = await processBaselines.measureAll(options.connections, options.duration, log);
    const storage = await runPostgresBaselines(options.connections, options.duration, log);
    const besideEcho: Measurement[] = [];

    log(options.url ? `using the gateway at ${options.url}` : 'starting the platform on scratch databases and a vhost (every process at KV_LOG_LEVEL=warn)');
    const platform = options.url && options.token ? attachToPlatform(options.url, options.token) : await startScratchPlatform();
    platformDescription = platform.describe;
    let platformPeaks: ProcessPeak[];
    try {
      const namespaces = await seed(platform.apiUrl, platform.token, log);
      try {
        scenarios = await runScenarios(platform, namespaces, options, processBaselines, besideEcho);
      } finally {
        if (options.url) await unseed(platform.apiUrl, platform.token, namespaces);
      }
      // VmHWM is a high-water mark: read while the processes live, it is the peak of the whole run.
      platformPeaks = ['gateway', 'kv-entry', 'secrets', 'audit'].map((name) => {
        const pid = platform.processIds.get(name);
        return { process: name, peakRssBytes: pid === undefined ? undefined : peakRssBytes(pid), platform: true };
      });
    } finally {
      await platform.stop();
    }
    baselines = [...processMeasurements, ...storage, ...besideEcho];
    processes = [...platformPeaks, ...processBaselines.peaks()];
  } finally {
    await processBaselines.stop();
  }
  const results: BenchResults = {
    meta: runMeta(options, platformDescription, loadAtStart),
    baselines,
    scenarios,
    processes,
    targets: evaluateTargets(scenarios, baselines, processes),
  };
  const json = writeReports(results);
  log(`wrote docs/benchmark.md and ${json}`);
  console.log('\nTargets at 64 connections:');
  for (const target of results.targets) console.log(`  ${target.status.padEnd(4)}  ${target.target}: ${target.actual}`);

  if (options.compare) {
    const before = JSON.parse(readFileSync(options.compare, 'utf8')) as BenchResults;
    console.log(`\nCompared with ${options.compare} (${before.meta.commit}, ${before.meta.date}):`);
    console.log(renderDeltas(compare([...before.baselines, ...before.scenarios], [...baselines, ...scenarios])));
  }

  const failures = failed([...baselines, ...scenarios]);
  if (failures.length > 0) {
    console.error('\n!!! REQUESTS FAILED: the results above are not valid !!!');
    for (const m of failures) console.error(`!!! ${summaryLine(m)}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
