/**
 * The report's arithmetic: ratios to the baselines, the targets, error totals and the deltas
 * between two runs. Pure functions over plain data, so that they are unit-tested and the JSON of any
 * earlier run can be fed back in (`--compare`).
 */
import { watchFailures, WatchFanOut } from './watch-stats';

/** One load level of one scenario or baseline: throughput, latency and failures. */
export interface Measurement {
  name: string;
  connections: number;
  /** Requests (or operations) per second, averaged over the run. */
  perSecond: number;
  /** Latencies of the successful requests, in ms with µs resolution (see latency.ts); whole ms in runs before issue 21. */
  p50Ms: number;
  p99Ms: number;
  /** Absent in runs before issue 21. */
  meanMs?: number;
  p90Ms?: number;
  maxMs?: number;
  /** Transport errors and timeouts. */
  errors: number;
  /** Answers outside 2xx; the bench counts them as errors too. */
  non2xx: number;
  /** Count of each non-2xx status seen, e.g. `{ "401": 12 }`, when there were any. */
  failedStatuses?: Record<string, number>;
  total: number;
  /** CPU milliseconds per request by process (and `total`), when measured: see cpu-time.ts. */
  cpuMsPerRequest?: Record<string, number>;
}

export interface ProcessPeak {
  process: string;
  /** Peak resident set (VmHWM), bytes; undefined when the process was not ours to measure. */
  peakRssBytes?: number;
  /** Whether the 250 MB target applies (the platform's processes, not the baselines). */
  platform: boolean;
}

export interface RunMeta {
  date: string;
  commit: string;
  cpuModel: string;
  cores: number;
  node: string;
  durationSeconds: number;
  /** Unmeasured seconds of each scenario before its measurements (absent in runs before it existed). */
  warmupSeconds?: number;
  connections: number[];
  logLevel: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews results. */
  loadAverage: [number, number];
  /** `scratch` (platform started by the bench) or the URL of a running gateway. */
  target: string;
}

export interface BenchResults {
  meta: RunMeta;
  baselines: Measurement[];
  scenarios: Measurement[];
  /** The references measured right before and after the judged scenarios (see REFERENCE_OF); absent in older runs. */
  beside?: Measurement[];
  processes: ProcessPeak[];
  targets: TargetResult[];
  /** The request-queue scenarios on two platforms, classic and quorum request queues (`--request-queue-type`); absent unless asked. */
  requestQueues?: Measurement[];
  /** TRACED_SCENARIOS without and with tracing (every request sampled), and what the traced platform exported; absent when skipped. */
  tracing?: TracingCost;
  /** The watch fan-out (issue 20); absent in older runs. A `--watch-only` run has it alone, every list above empty. */
  watch?: WatchFanOut;
  /** etcd beside the platform (issue 21): its measurements, or why there are none; absent in older runs and `--watch-only`. */
  etcd?: EtcdRun;
}

/** etcd measured in the run (see etcd.ts), or why not. */
export type EtcdRun = { version: string; measurements: Measurement[] } | { notMeasured: string };

export interface TracingCost {
  measurements: Measurement[];
  /** OTLP export requests and bytes the traced platform sent: none would mean tracing never ran. */
  exports: number;
  exportedBytes: number;
}

export interface TargetResult {
  target: string;
  /** What was measured, in words and numbers. */
  actual: string;
  /** `n/a` when a measurement it needs is missing (e.g. RSS of a platform the bench did not start). */
  status: 'PASS' | 'MISS' | 'n/a';
}

export const Scenario = {
  GET_PLAIN: 'GET plain',
  /** The same reads accepting the gateway's kept copy (`Cache-Control: max-age=60`). */
  GET_PLAIN_CACHED: 'GET plain (max-age=60)',
  GET_SECRET: 'GET secret',
  PUT_PLAIN: 'PUT plain',
  PUT_SECRET: 'PUT secret',
  LIST_PREFIX: 'list 100 by prefix',
  BULK_GET: 'bulk get 100',
  BULK_SET: 'bulk set 100',
} as const;

export const Baseline = {
  HTTP: 'HTTP constant',
  ECHO: 'HTTP + RMQ echo',
  /** amqplib alone, request/reply over direct reply-to: no HTTP, no Nest (issue 21). */
  BARE_AMQP: 'bare amqplib round trip',
  PG_SELECT: 'PG point SELECT',
  PG_UPSERT: 'PG UPSERT',
} as const;

/** What a user might pick instead (etcd.ts). */
export const Peer = {
  ETCD_GET: 'etcd point get',
  ETCD_PUT: 'etcd put',
} as const;

/** The connection counts the targets are judged at: a lone caller, and saturation. */
export const LONE = 1;
export const SATURATED = 64;

/**
 * What each target compares a scenario with, by connection count: a baseline, or another scenario. The reference is
 * measured again right before and right after the scenario, so that both see the machine as it was then: latency,
 * requests/s and CPU per request drift with its other work over a run.
 */
export const REFERENCE_OF: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  [LONE]: {
    [Scenario.GET_PLAIN]: Baseline.ECHO,
    [Scenario.GET_PLAIN_CACHED]: Baseline.HTTP,
    [Scenario.PUT_PLAIN]: Baseline.ECHO,
  },
  [SATURATED]: {
    [Scenario.GET_PLAIN]: Baseline.ECHO,
    [Scenario.PUT_PLAIN]: Baseline.ECHO,
    [Scenario.GET_SECRET]: Scenario.GET_PLAIN,
    [Scenario.PUT_SECRET]: Scenario.PUT_PLAIN,
    [Scenario.LIST_PREFIX]: Scenario.GET_PLAIN,
  },
};

/** The reference `scenario` is measured beside at `connections`, if a target compares them there. */
export function referenceOf(scenario: string, connections: number): string | undefined {
  return REFERENCE_OF[connections]?.[scenario];
}

/** The scenarios measured with either type of request queue (`--request-queue-type`): a read and a write, one message each. */
export const REQUEST_QUEUE_SCENARIOS: readonly string[] = [Scenario.GET_PLAIN, Scenario.PUT_PLAIN];

/** The name of `scenario` measured on the platform whose request queues are of `queueType`. */
export function requestQueueName(scenario: string, queueType: string): string {
  return `${scenario} (${queueType} request queues)`;
}

/** The scenarios measured again on a platform tracing every request (`--no-tracing` skips them): what tracing costs. */
export const TRACED_SCENARIOS: readonly string[] = [Scenario.GET_PLAIN, Scenario.PUT_PLAIN];

/** The name of `scenario` measured on the platform with tracing on or off (the seeded platform of the run). */
export function tracingName(scenario: string, traced: boolean): string {
  return `${scenario} (tracing ${traced ? 'on' : 'off'})`;
}

/** The name of `reference` measured right before or after `scenario`. */
export function besideName(reference: string, scenario: string, when: 'before' | 'after'): string {
  return `${reference} (${when} ${scenario})`;
}

/** Σ value × weight / Σ weight over the measurements that have the value; undefined when none has it. */
function weighted(measurements: readonly Measurement[], value: (m: Measurement) => number | undefined): number | undefined {
  const having = measurements.filter((m) => value(m) !== undefined && m.total > 0);
  const weight = having.reduce((sum, m) => sum + m.total, 0);
  return weight > 0 ? having.reduce((sum, m) => sum + value(m)! * m.total, 0) / weight : undefined;
}

/**
 * What `scenario` is compared with: `reference` measured right before and after it (in `beside`), as one measurement
 * (requests/s their mean; mean latency and CPU per request over all their requests; percentiles the first's), when there
 * is one; else `reference` as measured in its own turn (in `measured`).
 */
export function referenceFor(
  beside: readonly Measurement[],
  measured: readonly Measurement[],
  reference: string,
  scenario: string,
  connections: number,
): Measurement | undefined {
  const pair = [
    find(beside, besideName(reference, scenario, 'before'), connections),
    find(beside, besideName(reference, scenario, 'after'), connections),
  ].filter((m): m is Measurement => m !== undefined);
  if (pair.length === 0) return find(measured, reference, connections);
  const groups = [...new Set(pair.flatMap((m) => Object.keys(m.cpuMsPerRequest ?? {})))];
  const cpu = Object.fromEntries(
    groups.flatMap((group) => {
      const value = weighted(pair, (m) => m.cpuMsPerRequest?.[group]);
      return value === undefined ? [] : [[group, value]];
    }),
  );
  const meanMs = weighted(pair, (m) => m.meanMs);
  return {
    ...pair[0]!,
    name: `${reference} (beside ${scenario})`,
    perSecond: pair.reduce((sum, m) => sum + m.perSecond, 0) / pair.length,
    total: pair.reduce((sum, m) => sum + m.total, 0),
    ...(meanMs === undefined ? {} : { meanMs }),
    ...(groups.length > 0 ? { cpuMsPerRequest: cpu } : {}),
  };
}

/** The echo a scenario is compared with (see `referenceFor`). */
export function echoFor(
  beside: readonly Measurement[],
  baselines: readonly Measurement[],
  scenario: string,
  connections: number,
): Measurement | undefined {
  return referenceFor(beside, baselines, Baseline.ECHO, scenario, connections);
}

/** Keys a bulk call carries: its throughput in keys/s is 100 times its requests/s. */
export const BULK_KEYS = 100;
export const RSS_LIMIT_BYTES = 250 * 1024 * 1024;
/** The watch target: this many watchers on one gateway, over this many writes, the last one notified within P99 ms. */
export const WATCH_TARGET = { watchers: 1000, writes: 50, lastWatcherP99Ms: 250, bytesPerWatcher: 20 * 1024 };

const WRITES = new Set<string>([Scenario.PUT_PLAIN, Scenario.PUT_SECRET, Scenario.BULK_SET]);

/** Which Postgres baseline a scenario is compared to: the upsert for writes, the point select for reads. */
export function storageBaselineOf(scenario: string): string {
  return WRITES.has(scenario) ? Baseline.PG_UPSERT : Baseline.PG_SELECT;
}

export function find(measurements: readonly Measurement[], name: string, connections: number): Measurement | undefined {
  return measurements.find((m) => m.name === name && m.connections === connections);
}

/** `numerator / denominator` of requests/s, undefined when either is missing or the denominator is zero. */
export function ratio(numerator: Measurement | undefined, denominator: Measurement | undefined): number | undefined {
  if (!numerator || !denominator || denominator.perSecond <= 0) return undefined;
  return numerator.perSecond / denominator.perSecond;
}

export function failuresOf(measurement: Measurement): number {
  return measurement.errors + measurement.non2xx;
}

/** Every measurement that saw an error or a non-2xx answer. */
export function failed(measurements: readonly Measurement[]): Measurement[] {
  return measurements.filter((m) => failuresOf(m) > 0);
}

const verdict = (ok: boolean): 'PASS' | 'MISS' => (ok ? 'PASS' : 'MISS');
const na = (target: string, missing: string): TargetResult => ({ target, actual: `not measured (${missing})`, status: 'n/a' });
const msText = (value: number): string => `${value.toFixed(3)} ms`;
// Rounded up, so that a miss never reads as the limit (1.501× is 1.51×).
const timesText = (value: number): string => `${(Math.ceil(value * 100 - 1e-9) / 100).toFixed(2)}×`;
const besideText = (reference: Measurement, name: string): string => (reference.name === name ? '' : ', measured beside it');
const meanOf = (m: Measurement | undefined): number | undefined => m?.meanMs;
const cpuOf = (m: Measurement | undefined): number | undefined => m?.cpuMsPerRequest?.total;

/** A target that holds when `measured`'s figure is at most `limit` times `reference`'s (mean latency, or CPU per request). */
interface RatioTarget {
  target: string;
  scenario: string;
  connections: number;
  reference: string;
  figure: 'mean latency' | 'CPU per request';
  limit: number;
}

/** The ratio targets of issue 21, point 5; the echo's own and GET plain's p99 are judged apart (`evaluateTargets`). */
export const RATIO_TARGETS: readonly RatioTarget[] = [
  {
    target: "GET plain (max-age=60) at 1 connection: mean at most 3× the HTTP constant's",
    scenario: Scenario.GET_PLAIN_CACHED,
    connections: LONE,
    reference: Baseline.HTTP,
    figure: 'mean latency',
    limit: 3,
  },
  {
    target: "PUT plain at 1 connection: mean at most 2.5× the echo's",
    scenario: Scenario.PUT_PLAIN,
    connections: LONE,
    reference: Baseline.ECHO,
    figure: 'mean latency',
    limit: 2.5,
  },
  {
    target: "GET plain at 64: CPU per request at most 2.0× the echo's",
    scenario: Scenario.GET_PLAIN,
    connections: SATURATED,
    reference: Baseline.ECHO,
    figure: 'CPU per request',
    limit: 2,
  },
  {
    target: "PUT plain at 64: CPU per request at most 4× the echo's",
    scenario: Scenario.PUT_PLAIN,
    connections: SATURATED,
    reference: Baseline.ECHO,
    figure: 'CPU per request',
    limit: 4,
  },
  {
    target: "GET secret at 64: CPU per request at most 1.1× GET plain's",
    scenario: Scenario.GET_SECRET,
    connections: SATURATED,
    reference: Scenario.GET_PLAIN,
    figure: 'CPU per request',
    limit: 1.1,
  },
  {
    target: "PUT secret at 64: CPU per request at most 1.7× PUT plain's",
    scenario: Scenario.PUT_SECRET,
    connections: SATURATED,
    reference: Scenario.PUT_PLAIN,
    figure: 'CPU per request',
    limit: 1.7,
  },
  {
    target: "list 100 by prefix at 64: CPU per request at most 2.5× GET plain's",
    scenario: Scenario.LIST_PREFIX,
    connections: SATURATED,
    reference: Scenario.GET_PLAIN,
    figure: 'CPU per request',
    limit: 2.5,
  },
];

export interface TargetInputs {
  scenarios: readonly Measurement[];
  baselines: readonly Measurement[];
  processes: readonly ProcessPeak[];
  beside?: readonly Measurement[];
  watch?: WatchFanOut;
}

function ratioTarget(t: RatioTarget, { scenarios, baselines, beside = [] }: TargetInputs): TargetResult {
  const measured = find(scenarios, t.scenario, t.connections);
  const isBaseline = (Object.values(Baseline) as string[]).includes(t.reference);
  const reference = referenceFor(beside, isBaseline ? baselines : scenarios, t.reference, t.scenario, t.connections);
  const figureOf = t.figure === 'mean latency' ? meanOf : cpuOf;
  const [value, against] = [figureOf(measured), figureOf(reference)];
  if (!reference || value === undefined || against === undefined || against <= 0)
    return na(t.target, `${t.scenario} or ${t.reference} at ${t.connections} connection${t.connections === 1 ? '' : 's'}`);
  const ratioValue = value / against;
  const unit = (v: number): string => (t.figure === 'mean latency' ? msText(v) : `${v.toFixed(3)} ms of CPU`);
  return {
    target: t.target,
    actual: `${timesText(ratioValue)} (${unit(value)} against ${unit(against)}${besideText(reference, t.reference)})`,
    status: verdict(ratioValue <= t.limit),
  };
}

/** GET plain alone: mean at most 1.5× the echo's, and p99 at most 3× the echo's mean. */
function lonePlainGet({ scenarios, baselines, beside = [] }: TargetInputs): TargetResult {
  const target = "GET plain at 1 connection: mean at most 1.5× the echo's, p99 at most 3× the echo's mean";
  const get = find(scenarios, Scenario.GET_PLAIN, LONE);
  const echo = echoFor(beside, baselines, Scenario.GET_PLAIN, LONE);
  const [mean, echoMean] = [meanOf(get), meanOf(echo)];
  if (!get || !echo || mean === undefined || echoMean === undefined || echoMean <= 0)
    return na(target, `GET plain or the echo at ${LONE} connection`);
  return {
    target,
    actual:
      `mean ${timesText(mean / echoMean)} (${msText(mean)} against ${msText(echoMean)}${besideText(echo, Baseline.ECHO)}), ` +
      `p99 ${timesText(get.p99Ms / echoMean)} (${msText(get.p99Ms)})`,
    status: verdict(mean <= 1.5 * echoMean && get.p99Ms <= 3 * echoMean),
  };
}

/** The echo alone: mean at most 1.5× the bare amqplib round trip's plus the HTTP constant's, all measured in their own turns. */
function loneEcho({ baselines }: TargetInputs): TargetResult {
  const target = "HTTP + RMQ echo at 1 connection: mean at most 1.5× the bare amqplib round trip's plus the HTTP constant's";
  const [echo, bare, http] = [Baseline.ECHO, Baseline.BARE_AMQP, Baseline.HTTP].map((name) => meanOf(find(baselines, name, LONE)));
  if (echo === undefined || bare === undefined || http === undefined || bare + http <= 0)
    return na(target, `the echo, the bare amqplib round trip or the HTTP constant at ${LONE} connection`);
  return {
    target,
    actual: `${timesText(echo / (bare + http))} (${msText(echo)} against ${msText(bare)} + ${msText(http)})`,
    status: verdict(echo <= 1.5 * (bare + http)),
  };
}

/** 1,000 watchers on one gateway, one write: the last one notified within 250 ms (p99 over 50 writes); at most 20 KB of gateway RSS a watcher. */
function watchTarget({ watch }: TargetInputs): TargetResult {
  const { watchers, writes, lastWatcherP99Ms, bytesPerWatcher } = WATCH_TARGET;
  const target =
    `watch: ${watchers} watchers on one gateway, the last notified within ${lastWatcherP99Ms} ms (p99 over ${writes} writes); ` +
    `at most ${bytesPerWatcher / 1024} KB of gateway memory (RSS) per watcher`;
  if (!watch) return na(target, 'the watch fan-out did not complete');
  if (watch.watchers < watchers || watch.writes < writes)
    return na(target, `${watch.watchers} watchers and ${watch.writes} writes; it needs ${watchers} and ${writes}`);
  if (!watch.memory) return na(target, "the gateway's memory: --metrics-url");
  const invalid = watchFailures(watch);
  const { p99Ms } = watch.lastWatcher;
  const { rssBytes, heapUsedBytes } = watch.memory.perWatcher;
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  return {
    target,
    actual:
      `last watcher p99 ${p99Ms.toFixed(1)} ms over ${watch.writes} writes; RSS ${kb(rssBytes)} a watcher (V8 heap ${kb(heapUsedBytes)})` +
      (invalid.length > 0 ? `; invalid: ${invalid.join(', ')}` : ''),
    status: verdict(invalid.length === 0 && p99Ms <= lastWatcherP99Ms && rssBytes <= bytesPerWatcher),
  };
}

function rssTarget({ processes }: TargetInputs): TargetResult {
  const target = 'no platform process above 250 MB RSS';
  const platform = processes.filter((p) => p.platform);
  const measured = platform.filter((p): p is ProcessPeak & { peakRssBytes: number } => p.peakRssBytes !== undefined);
  if (platform.length === 0 || measured.length < platform.length) return na(target, 'platform processes not started by the bench');
  const largest = measured.reduce((a, b) => (b.peakRssBytes > a.peakRssBytes ? b : a));
  return {
    target,
    actual: `largest ${largest.process} ${formatMb(largest.peakRssBytes)}`,
    status: verdict(largest.peakRssBytes <= RSS_LIMIT_BYTES),
  };
}

/**
 * The targets of issue 21, point 5, each judged in one run: latency at 1 connection against the baselines (measured
 * beside the scenario where REFERENCE_OF says so), CPU per request at 64 against the echo or another scenario measured
 * beside it, the watch fan-out, and peak memory. `n/a` where a measurement is missing.
 */
export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const [cached, lonePut, ...atSaturation] = RATIO_TARGETS.map((t) => ratioTarget(t, inputs));
  return [lonePlainGet(inputs), loneEcho(inputs), cached!, lonePut!, ...atSaturation, watchTarget(inputs), rssTarget(inputs)];
}

export function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

export interface Delta {
  name: string;
  connections: number;
  before: number;
  after: number;
  /** Relative change of requests/s, e.g. 0.1 for +10%. */
  perSecondChange: number;
  p99BeforeMs: number;
  p99AfterMs: number;
}

/** Requests/s and p99 of every measurement present in both runs. */
export function compare(before: readonly Measurement[], after: readonly Measurement[]): Delta[] {
  return after.flatMap((now) => {
    const then = find(before, now.name, now.connections);
    if (!then || then.perSecond <= 0) return [];
    return [
      {
        name: now.name,
        connections: now.connections,
        before: then.perSecond,
        after: now.perSecond,
        perSecondChange: now.perSecond / then.perSecond - 1,
        p99BeforeMs: then.p99Ms,
        p99AfterMs: now.p99Ms,
      },
    ];
  });
}
