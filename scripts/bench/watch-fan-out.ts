/**
 * The watch fan-out (issue 20): N watchers of one namespace on one gateway, then W writes to one key of it. Measures, per
 * write, how long each watcher took to have the event (from just before the PUT), how long until the last one had it,
 * and the gateway's memory per open watch. The watchers are node:http requests on an agent of N sockets in this one
 * process, their frames parsed by eventsource-parser; the gateway's memory and open watches come from its metrics.
 */
import { Agent, ClientRequest, request } from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';
import { scrapedSample } from '../../test/support/metrics';
import { devtools, DevtoolsSession } from './devtools';
import { PlatformUnderTest } from './platform';
import { api } from './seed';
import {
  deliveryLatencies,
  GatewayMemory,
  gatewayMemoryOf,
  latencySummary,
  medianMemory,
  memoryPerWatcher,
  WatchFanOut,
} from './watch-stats';

export interface WatchFanOutOptions {
  watchers: number;
  writes: number;
  spacingMs: number;
}

/** Watches asked for at once: each open reads the namespace and both change-log heads, so a thousand at once would queue past the RPC timeout. */
export const OPEN_CONCURRENCY = 50;
/** Scrapes of the gateway's memory, before, with the watchers open and after they closed: their median is taken. */
export const MEMORY_SAMPLES = 5;
const FIRST_FRAME_TIMEOUT_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;
const WATCHED_KEY = 'watch-bench/key';

/** One watcher: an open event stream, and when it had each version of the watched key. */
class Watcher {
  /** Version of the watched key → when this watcher had parsed its event (performance.now()). */
  readonly arrivals = new Map<number, number>();
  endedEarly = false;
  private closing = false;

  private constructor(private readonly call: ClientRequest) {}

  /** Resolves once the stream's first frame (its cursor and `retry`) came; `onChange` is called with each version delivered. */
  static open(url: string, token: string, agent: Agent, onChange: (version: number) => void): Promise<Watcher> {
    return new Promise((resolve, reject) => {
      const call = request(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
      const watcher = new Watcher(call);
      const timer = setTimeout(() => {
        call.destroy();
        reject(new Error(`no first frame from ${url} within ${FIRST_FRAME_TIMEOUT_MS} ms`));
      }, FIRST_FRAME_TIMEOUT_MS);
      call.on('error', (error) => {
        clearTimeout(timer);
        if (!watcher.closing) reject(new Error(`watch ${url} failed: ${error.message}`));
      });
      call.on('response', (response) => {
        response.setEncoding('utf8');
        // A destroyed stream errors (ECONNRESET) after the bench closed it on purpose; an early end counts below.
        response.on('error', () => undefined);
        if (response.statusCode !== 200) {
          let body = '';
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            clearTimeout(timer);
            reject(new Error(`watch ${url} answered ${response.statusCode}: ${body.slice(0, 300)}`));
          });
          return;
        }
        const parser = createParser({
          onRetry: () => {
            clearTimeout(timer);
            resolve(watcher);
          },
          onEvent: (event) => {
            const at = performance.now();
            if (event.event === 'end') return;
            const change = JSON.parse(event.data) as { keyPath?: string; version?: number };
            if (change.keyPath !== WATCHED_KEY || typeof change.version !== 'number') return;
            watcher.arrivals.set(change.version, at);
            onChange(change.version);
          },
        });
        response.on('data', (chunk: string) => parser.feed(chunk));
        response.on('close', () => {
          if (watcher.closing) return;
          watcher.endedEarly = true;
          clearTimeout(timer);
          // After the first frame, a no-op: the watcher counts as ended early.
          reject(new Error(`watch ${url} ended before its first frame`));
        });
      });
      call.end();
    });
  }

  close(): void {
    this.closing = true;
    this.call.destroy();
  }
}

/** Counts the watchers that have each version, and wakes whoever waits for all of them to. */
class DeliveryCount {
  private readonly counts = new Map<number, number>();
  private waiting: { version: number; wanted: number; done: () => void } | undefined;

  delivered(version: number): void {
    const count = (this.counts.get(version) ?? 0) + 1;
    this.counts.set(version, count);
    if (this.waiting?.version === version && count >= this.waiting.wanted) this.waiting.done();
  }

  /** Resolves once `wanted` watchers have `version`, or after `timeoutMs`. */
  async until(version: number, wanted: number, timeoutMs: number): Promise<void> {
    if ((this.counts.get(version) ?? 0) >= wanted) return;
    const abort = new AbortController();
    const all = new Promise<void>((done) => (this.waiting = { version, wanted, done }));
    await Promise.race([all, sleep(timeoutMs, undefined, { signal: abort.signal }).catch(() => undefined)]);
    abort.abort();
    this.waiting = undefined;
  }
}

/** Opens `count` watchers, OPEN_CONCURRENCY at a time (a pool of that many loops: a few lines, no library needed); none once one failed. */
async function openAll(count: number, open: () => Promise<Watcher>): Promise<Watcher[]> {
  const watchers: Watcher[] = [];
  let asked = 0;
  let failure: unknown;
  const loop = async (): Promise<void> => {
    while (asked < count && failure === undefined) {
      asked += 1;
      try {
        watchers.push(await open());
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, loop));
  if (failure !== undefined) {
    for (const watcher of watchers) watcher.close();
    throw failure;
  }
  return watchers;
}

/** The gateway's memory: the median of MEMORY_SAMPLES scrapes, each after a forced full collection when there is an inspector. */
async function gatewayMemory(metricsUrl: string, inspector: DevtoolsSession | undefined): Promise<GatewayMemory> {
  const samples: GatewayMemory[] = [];
  for (let i = 0; i < MEMORY_SAMPLES; i++) {
    await inspector?.call('HeapProfiler.collectGarbage');
    samples.push(gatewayMemoryOf(await (await fetch(metricsUrl)).text()));
    await sleep(200);
  }
  return medianMemory(samples);
}

async function watchesOpen(metricsUrl: string): Promise<number> {
  const value = await scrapedSample(metricsUrl, 'kv_gateway_watches_open');
  if (value === undefined) throw new Error(`no kv_gateway_watches_open in ${metricsUrl}`);
  return value;
}

/** Polls the gauge until it reads 0 (or CLOSE_TIMEOUT_MS passed): its last value, and after how long. */
async function watchesAfterClose(metricsUrl: string): Promise<{ afterClose: number; afterCloseMs: number }> {
  const started = performance.now();
  let open = await watchesOpen(metricsUrl);
  while (open !== 0 && performance.now() - started < CLOSE_TIMEOUT_MS) {
    await sleep(100);
    open = await watchesOpen(metricsUrl);
  }
  return { afterClose: open, afterCloseMs: Math.round(performance.now() - started) };
}

/** The fan-out on `platform`, in a namespace of its own that it deletes at the end. */
export async function runWatchFanOut(
  platform: PlatformUnderTest,
  options: WatchFanOutOptions,
  log: (line: string) => void,
): Promise<WatchFanOut> {
  const { apiUrl, token, metricsUrl } = platform;
  const loadAtStart = loadavg()[0];
  const namespace = (await api(apiUrl, token, 'POST', '/namespaces', {
    name: `bench-watch-${Date.now().toString(36)}`,
    applicationId: 'kv-bench',
    isSecretNamespace: false,
  })) as { id: string };
  const inspector = platform.gatewayInspectorUrl ? await devtools(platform.gatewayInspectorUrl) : undefined;
  const agent = new Agent({ keepAlive: false, maxSockets: options.watchers });
  const count = new DeliveryCount();
  let watchers: Watcher[] = [];
  try {
    const before = metricsUrl ? await gatewayMemory(metricsUrl, inspector) : undefined;
    log(`opening ${options.watchers} watchers, ${OPEN_CONCURRENCY} at a time`);
    const openStarted = performance.now();
    watchers = await openAll(options.watchers, () =>
      Watcher.open(`${apiUrl}/${namespace.id}/watch`, token, agent, (version) => count.delivered(version)),
    );
    const openSeconds = (performance.now() - openStarted) / 1000;
    log(`${watchers.length} watchers open in ${openSeconds.toFixed(1)} s`);
    const open = metricsUrl ? await gatewayMemory(metricsUrl, inspector) : undefined;
    const gauge = metricsUrl ? await watchesOpen(metricsUrl) : undefined;

    const sentAt: number[] = [];
    const versions: number[] = [];
    const putMs: number[] = [];
    for (let write = 0; write < options.writes; write++) {
      const sent = performance.now();
      const written = (await api(apiUrl, token, 'PUT', `/${namespace.id}/entries/${WATCHED_KEY}`, {
        value: `write-${write}`,
        valueType: 'STRING',
      })) as { version: number };
      putMs.push(performance.now() - sent);
      sentAt.push(sent);
      versions.push(written.version);
      const live = watchers.filter((watcher) => !watcher.endedEarly).length;
      await count.until(written.version, live, DELIVERY_TIMEOUT_MS);
      await sleep(options.spacingMs);
    }
    const latencies = deliveryLatencies(
      sentAt,
      versions.map((version) => watchers.map((watcher) => watcher.arrivals.get(version))),
    );

    for (const watcher of watchers) watcher.close();
    const endedEarly = watchers.filter((watcher) => watcher.endedEarly).length;
    watchers = [];
    const gaugeAfterClose = metricsUrl ? await watchesAfterClose(metricsUrl) : undefined;
    const closed = metricsUrl ? await gatewayMemory(metricsUrl, inspector) : undefined;
    return {
      platform: platform.describe,
      loadAverage: [loadAtStart, loadavg()[0]],
      watchers: options.watchers,
      writes: options.writes,
      spacingMs: options.spacingMs,
      openConcurrency: OPEN_CONCURRENCY,
      openSeconds,
      delivery: latencySummary(latencies.delivery),
      lastWatcher: latencySummary(latencies.lastWatcher),
      put: latencySummary(putMs),
      missed: latencies.missed,
      endedEarly,
      ...(before && open && closed
        ? {
            memory: {
              before,
              open,
              closed,
              perWatcher: memoryPerWatcher(before, open, options.watchers),
              samples: MEMORY_SAMPLES,
              gcForced: inspector !== undefined,
            },
          }
        : {}),
      ...(gauge !== undefined && gaugeAfterClose ? { watchesOpen: { open: gauge, ...gaugeAfterClose } } : {}),
    };
  } finally {
    for (const watcher of watchers) watcher.close();
    agent.destroy();
    inspector?.close();
    // A failure to clean up must not hide why the fan-out failed, if it did.
    await api(apiUrl, token, 'DELETE', `/namespaces/${namespace.id}`).catch((error: Error) =>
      log(`namespace ${namespace.id} not deleted: ${error.message}`),
    );
  }
}
