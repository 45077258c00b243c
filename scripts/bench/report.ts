/**
 * The report's arithmetic: ratios to the baselines, the targets, error totals and the deltas
 * between two runs. Pure functions over plain data, so that they are unit-tested and the JSON of any
 * earlier run can be fed back in (`--compare`).
 */
import type { WatchFanOut } from './watch-stats';

/** One load level of one scenario or baseline: throughput, latency and failures. */
export interface Measurement {
  name: string;
  connections: number;
  /** Requests (or operations) per second, averaged over the run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
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
  /** The watch fan-out (issue 20); absent in older runs. A `--watch-only` run has it alone, every list above empty. */
  watch?: WatchFanOut;
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
  PG_SELECT: 'PG point SELECT',
  PG_UPSERT: 'PG UPSERT',
} as const;

/**
 * What each target compares a scenario with, at 64 connections: the echo baseline, or GET plain. The
 * reference is measured again right before and right after the scenario, so that both see the machine
 * as it was then: requests/s (and CPU per request) drift with its other work over a run.
 */
export const REFERENCE_OF: Readonly<Record<string, string>> = {
  [Scenario.GET_PLAIN]: Baseline.ECHO,
  [Scenario.PUT_PLAIN]: Baseline.ECHO,
  [Scenario.GET_SECRET]: Scenario.GET_PLAIN,
  [Scenario.BULK_GET]: Scenario.GET_PLAIN,
};

/** The scenarios measured with either type of request queue (`--request-queue-type`): a read and a write, one message each. */
export const REQUEST_QUEUE_SCENARIOS: readonly string[] = [Scenario.GET_PLAIN, Scenario.PUT_PLAIN];

/** The name of `scenario` measured on the platform whose request queues are of `queueType`. */
export function requestQueueName(scenario: string, queueType: string): string {
  return `${scenario} (${queueType} request queues)`;
}

/** The name of `reference` measured right before or after `scenario`. */
export function besideName(reference: string, scenario: string, when: 'before' | 'after'): string {
  return `${reference} (${when} ${scenario})`;
}

/**
 * What `scenario` is compared with: the mean of `reference` measured right before and after it (in
 * `beside`) when there is one; else `reference` as measured in its own turn (in `measured`).
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
  const perSecond = pair.reduce((sum, m) => sum + m.perSecond, 0) / pair.length;
  return { ...pair[0]!, name: `${reference} (beside ${scenario})`, perSecond };
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
export const TARGET_CONNECTIONS = 64;
export const RSS_LIMIT_BYTES = 250 * 1024 * 1024;

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

// Rounded down, so that a miss never reads as the threshold (49.97% is 49%).
const percent = (value: number): string => `${Math.floor(value * 100 + 1e-9)}%`;
const verdict = (ok: boolean): 'PASS' | 'MISS' => (ok ? 'PASS' : 'MISS');
const referenceText = (reference: Measurement, name: string): string =>
  `${reference.perSecond.toFixed(0)} req/s${reference.name === name ? '' : ', measured beside it'}`;
const echoText = (echo: Measurement): string => referenceText(echo, Baseline.ECHO);
const na = (target: string, missing: string): TargetResult => ({ target, actual: `not measured (${missing})`, status: 'n/a' });

/**
 * A target judged on a measurement's req/s against a reference's (`value`: their ratio), by `judge`;
 * not measured while either is missing.
 */
function ratioTarget(
  target: string,
  [measured, reference]: [Measurement | undefined, Measurement | undefined],
  missing: string,
  judge: (value: number, reference: Measurement, measured: Measurement) => { actual: string; ok: boolean },
): TargetResult {
  const value = ratio(measured, reference);
  if (!measured || !reference || value === undefined) return na(target, missing);
  const { actual, ok } = judge(value, reference, measured);
  return { target, actual, status: verdict(ok) };
}

/** The targets of issue 7, judged at 64 connections with every process on the same machine. */
export function evaluateTargets(
  scenarios: readonly Measurement[],
  baselines: readonly Measurement[],
  processes: readonly ProcessPeak[],
  beside: readonly Measurement[] = [],
  connections = TARGET_CONNECTIONS,
): TargetResult[] {
  const getPlain = find(scenarios, Scenario.GET_PLAIN, connections);
  const getSecret = find(scenarios, Scenario.GET_SECRET, connections);
  const putPlain = find(scenarios, Scenario.PUT_PLAIN, connections);
  const bulkGet = find(scenarios, Scenario.BULK_GET, connections);
  const results: TargetResult[] = [];

  results.push(
    ratioTarget(
      'GET plain ≥ 50% of echo req/s, p99 < 50 ms',
      [getPlain, echoFor(beside, baselines, Scenario.GET_PLAIN, connections)],
      `GET plain or echo at ${connections}`,
      (value, echo, get) => ({
        actual: `${percent(value)} of echo (${echoText(echo)}), p99 ${get.p99Ms} ms`,
        ok: value >= 0.5 && get.p99Ms < 50,
      }),
    ),
    ratioTarget(
      'GET secret within 15% of GET plain',
      [getSecret, referenceFor(beside, scenarios, Scenario.GET_PLAIN, Scenario.GET_SECRET, connections)],
      `GET secret or GET plain at ${connections}`,
      (value, reference) => ({
        actual: `${percent(value)} of GET plain (${referenceText(reference, Scenario.GET_PLAIN)})`,
        ok: value >= 0.85,
      }),
    ),
    ratioTarget(
      'PUT plain ≥ 35% of echo req/s',
      [putPlain, echoFor(beside, baselines, Scenario.PUT_PLAIN, connections)],
      `PUT plain or echo at ${connections}`,
      (value, echo) => ({ actual: `${percent(value)} of echo (${echoText(echo)})`, ok: value >= 0.35 }),
    ),
    ratioTarget(
      `bulk get of ${BULK_KEYS} keys ≥ 20x the keys/s of single GETs`,
      [bulkGet, referenceFor(beside, scenarios, Scenario.GET_PLAIN, Scenario.BULK_GET, connections)],
      `bulk get or GET plain at ${connections}`,
      (value, reference) => ({
        actual: `${(value * BULK_KEYS).toFixed(1)}x (${referenceText(reference, Scenario.GET_PLAIN)})`,
        ok: value * BULK_KEYS >= 20,
      }),
    ),
  );

  const rssTarget = 'no platform process above 250 MB RSS';
  const platform = processes.filter((p) => p.platform);
  const measured = platform.filter((p): p is ProcessPeak & { peakRssBytes: number } => p.peakRssBytes !== undefined);
  if (platform.length === 0 || measured.length < platform.length) {
    results.push(na(rssTarget, 'platform processes not started by the bench'));
  } else {
    const largest = measured.reduce((a, b) => (b.peakRssBytes > a.peakRssBytes ? b : a));
    results.push({
      target: rssTarget,
      actual: `largest ${largest.process} ${formatMb(largest.peakRssBytes)}`,
      status: verdict(largest.peakRssBytes <= RSS_LIMIT_BYTES),
    });
  }
  return results;
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
