/**
 * The gateway scenarios: each one a request whose key changes on every call (autocannon's
 * `setupRequest`), rotating over the seeded data set, so that no cache of one hot key flatters a result;
 * only `GET plain (max-age=60)` accepts the gateway's kept copies (its first pass over the keys fills them).
 * Writes rewrite seeded keys with a new value each time (updates, each with its outbox event).
 */
import type { Request } from 'autocannon';
import { runLoad } from './load';
import { BULK_KEYS, Scenario } from './report';
import { GROUPS, groupPrefix, keyAt, keyWindow, SEED_ENTRIES, SeededNamespaces, valueAt } from './seed';

export interface ScenarioDefinition {
  name: string;
  /** A fresh request template whose `setupRequest` walks the keys; one per run, so every run starts over. */
  request(): Request;
  /**
   * Requests sent before each warm-up, as fast as 64 connections go: for the reads of kept copies, one per seeded key,
   * so that what is measured is copies, not the misses of a first pass (at one connection a run covers half the keys).
   */
  fillRequests?: number;
}

/** Calls `next(i)` with 0, 1, 2... for each request autocannon sends, over all connections. */
export function rotating(next: (index: number) => Pick<Request, 'method' | 'path' | 'body' | 'headers'>): () => Request {
  return () => {
    let index = 0;
    return { setupRequest: (request: Request) => ({ ...request, ...next(index++) }) };
  };
}

/** Percent-encodes each segment of a key path, keeping its separators. */
const keyPath = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

/** `headers` (the token) go on every request: a request's own headers replace autocannon's defaults. */
export function gatewayScenarios(basePath: string, ns: SeededNamespaces, headers: Record<string, string>): ScenarioDefinition[] {
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const entryPath = (namespace: string, index: number): string => `${basePath}/${namespace}/entries/${keyPath(keyAt(index))}`;
  const put = (namespace: string) =>
    rotating((i) => ({
      method: 'PUT',
      path: entryPath(namespace, i),
      headers: jsonHeaders,
      body: JSON.stringify({ value: valueAt(i, 1 + Math.floor(i / SEED_ENTRIES)), valueType: 'STRING' }),
    }));
  const windows = SEED_ENTRIES / BULK_KEYS;
  return [
    { name: Scenario.GET_PLAIN, request: rotating((i) => ({ method: 'GET', path: entryPath(ns.plain, i), headers })) },
    {
      name: Scenario.GET_PLAIN_CACHED,
      request: rotating((i) => ({ method: 'GET', path: entryPath(ns.plain, i), headers: { ...headers, 'cache-control': 'max-age=60' } })),
      fillRequests: SEED_ENTRIES,
    },
    { name: Scenario.GET_SECRET, request: rotating((i) => ({ method: 'GET', path: entryPath(ns.secret, i), headers })) },
    { name: Scenario.PUT_PLAIN, request: put(ns.plain) },
    { name: Scenario.PUT_SECRET, request: put(ns.secret) },
    {
      name: Scenario.LIST_PREFIX,
      request: rotating((i) => ({
        method: 'GET',
        path: `${basePath}/${ns.plain}/entries?prefix=${encodeURIComponent(groupPrefix(i % GROUPS))}&limit=100`,
        headers,
      })),
    },
    {
      name: Scenario.BULK_GET,
      request: rotating((i) => ({
        method: 'POST',
        path: `${basePath}/${ns.plain}/bulk/get`,
        headers: jsonHeaders,
        body: JSON.stringify({ keys: keyWindow(i % windows) }),
      })),
    },
    {
      name: Scenario.BULK_SET,
      request: rotating((i) => ({
        method: 'POST',
        path: `${basePath}/${ns.plain}/bulk/set`,
        headers: jsonHeaders,
        body: JSON.stringify({ entries: keyWindow(i % windows).map((key, k) => ({ key, value: valueAt(k, 1 + i), valueType: 'STRING' })) }),
      })),
    },
  ];
}

/** How many connections send a scenario's fill requests (see ScenarioDefinition.fillRequests). */
const FILL_CONNECTIONS = 64;

/** Unmeasured load before a measurement: the scenario's fill requests, if any, then `seconds` of it at `connections`. */
export async function warmUpScenario(scenario: ScenarioDefinition, origin: string, connections: number, seconds: number): Promise<void> {
  if (scenario.fillRequests !== undefined)
    await runLoad({
      name: `${scenario.name} (fill)`,
      origin,
      request: scenario.request(),
      connections: FILL_CONNECTIONS,
      durationSeconds: 0,
      amount: scenario.fillRequests,
    });
  if (seconds > 0)
    await runLoad({ name: `${scenario.name} (warm-up)`, origin, request: scenario.request(), connections, durationSeconds: seconds });
}
