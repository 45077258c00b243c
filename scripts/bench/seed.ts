/**
 * The data set: 10,000 plain and 10,000 secret entries of about 200 bytes under hierarchical keys
 * (`app-07/svc-2/setting-01234`), written with bulk set, SEED_BATCH a call.
 */
import { BULK_KEYS } from './report';

export const SEED_ENTRIES = 10_000;
/** 1,000 secret entries a call took the secrets service past the bench's 5 s RPC timeout on a loaded machine. */
export const SEED_BATCH = 250;
export const VALUE_BYTES = 200;
/** Keys under one `app-NN/` prefix: enough for a full page of 100 when listing by prefix. */
export const KEYS_PER_GROUP = 200;
export const GROUPS = SEED_ENTRIES / KEYS_PER_GROUP;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export function groupPrefix(group: number): string {
  return `app-${pad(group % GROUPS, 2)}/`;
}

/** The i-th seeded key (modulo the data set, so that callers may count past it). */
export function keyAt(index: number): string {
  const i = index % SEED_ENTRIES;
  return `${groupPrefix(Math.floor(i / KEYS_PER_GROUP))}svc-${i % 4}/setting-${pad(i, 5)}`;
}

/** A STRING value of exactly VALUE_BYTES characters; `round` makes rewrites differ from the seed. */
export function valueAt(index: number, round = 0): string {
  return `r${round}-${index}-`.padEnd(VALUE_BYTES, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

/** `count` consecutive keys from the `window`-th block of BULK_KEYS, wrapping around the data set. */
export function keyWindow(window: number, count = BULK_KEYS): string[] {
  return Array.from({ length: count }, (_, offset) => keyAt(window * count + offset));
}

export interface SeededNamespaces {
  plain: string;
  secret: string;
}

/** One call of the API, its JSON answer; an error (with the start of the answer) unless 2xx. */
export async function api(apiUrl: string, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Creates one plain and one secret namespace (names unique to this run) and fills both. */
export async function seed(apiUrl: string, token: string, log: (line: string) => void): Promise<SeededNamespaces> {
  const run = Date.now().toString(36);
  const namespaces: SeededNamespaces = { plain: '', secret: '' };
  for (const kind of ['plain', 'secret'] as const) {
    const created = await api(apiUrl, token, 'POST', '/namespaces', {
      name: `bench-${kind}-${run}`,
      applicationId: 'kv-bench',
      isSecretNamespace: kind === 'secret',
    });
    namespaces[kind] = created.id as string;
    const started = Date.now();
    for (let first = 0; first < SEED_ENTRIES; first += SEED_BATCH) {
      const entries = Array.from({ length: SEED_BATCH }, (_, offset) => ({
        key: keyAt(first + offset),
        value: valueAt(first + offset),
        valueType: 'STRING',
      }));
      await api(apiUrl, token, 'POST', `/${namespaces[kind]}/bulk/set`, { entries });
    }
    log(`seeded ${SEED_ENTRIES} ${kind} entries in ${Date.now() - started} ms`);
  }
  return namespaces;
}

/** Deletes the bench's namespaces (and so their entries): matters on a platform the bench did not start. */
export async function unseed(apiUrl: string, token: string, namespaces: SeededNamespaces): Promise<void> {
  for (const id of [namespaces.plain, namespaces.secret]) if (id) await api(apiUrl, token, 'DELETE', `/namespaces/${id}`);
}
