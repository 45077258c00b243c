import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KV_EVENTS_EXCHANGE } from '@app/contracts';
import { Entry, KvApiError, KvClient, KvValue } from '@kv-service/client';
import { call } from './support/api';
import { EventTap } from './support/event-tap';
import { anAdmin, signedToken } from './support/principals';
import { queryDatabase } from './support/scratch-database';
import { settled } from './support/settled';
import { TestPlatform } from './support/test-platform';
import { sleep } from './support/workload';

/**
 * Which service each kill hits, at which moment of its life, and which lives run with the fault point, all
 * follow from the seed (replay one with KV_CRASH_SEED); what each kill cuts short depends on timing.
 */
const SEED = Number(process.env.KV_CRASH_SEED ?? 190_519);
/** Lives ended in all, by a SIGKILL from the test or by the fault point; the issue asks for 50 at least. */
const KILLS = 56;
const CRASHING = ['kv-entry', 'secrets'] as const;
type Crashing = (typeof CRASHING)[number];
/** The share of lives run with the fault point on, and its probability per commit in such a life. */
const FAULT_LIFE_SHARE = 0.45;
const FAULT_PROBABILITY = { min: 0.05, max: 0.2 };
/** A life without the fault point is killed this long after it was ready; one with it, at the latest. */
const LIFE_MS = { min: 200, max: 1500, faultPointAtMost: 5000 };
/** The killers stop here whatever the count. */
const KILLING_AT_MOST_MS = 170_000;

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A key one writer owns: nobody else writes it, so each of its versions is one of that writer's successes. */
interface OwnedKey {
  namespaceId: string;
  secret: boolean;
  keyPath: string;
  /** The version and value each success answered, in order. */
  versions: number[];
  values: KvValue[];
  /** Writes whose outcome the writer never learnt (it stops at the first). */
  unresolved: number;
}

interface Writer {
  kind: string;
  keys: OwnedKey[];
  /** One write of all its keys; the entries it answered, in `keys` order. */
  write(client: KvClient, round: number): Promise<Entry[]>;
  /** VERSION_CONFLICT answers: a conditional write of an owned key conflicts only with its own earlier success. */
  conflicts: number;
  failures: string[];
}

/** What the writers' connections saw, attempt by attempt (the client retries inside one call). */
interface TransportTally {
  attempts: number;
  unavailable: number;
  inProgress: number;
  broken: number;
  replayed: number;
}

function talliedFetch(tally: TransportTally): typeof fetch {
  return async (input, init) => {
    tally.attempts++;
    try {
      const response = await fetch(input, init);
      if (response.headers.get('idempotent-replayed') === 'true') tally.replayed++;
      if (response.status === 503) tally.unavailable++;
      if (response.status === 409) {
        const body = (await response.clone().json()) as { code?: string };
        if (body.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') tally.inProgress++;
      }
      return response;
    } catch (error) {
      tally.broken++;
      throw error;
    }
  };
}

async function runWriter(writer: Writer, client: KvClient, stop: () => boolean): Promise<void> {
  for (let round = 0; !stop(); round++) {
    try {
      const entries = await writer.write(client, round);
      entries.forEach((entry, index) => {
        const key = writer.keys[index]!;
        key.versions.push(entry.version);
        key.values.push(entry.value);
      });
    } catch (error) {
      if (error instanceof KvApiError && error.code === 'VERSION_CONFLICT') writer.conflicts++;
      else writer.failures.push(error instanceof KvApiError ? `${error.statusCode} ${error.code}` : String(error));
      // Applied or not, the writer cannot tell: its keys' counts stay exact up to here only.
      for (const key of writer.keys) key.unresolved++;
      return;
    }
  }
}

/** The lives the killers ended, in order (`service:ms` killed that long after it was ready, `service:fault` by its fault point). */
class KillLog {
  readonly kills: string[] = [];
  private readonly started = Date.now();

  /** Enough kills, or time is up (so that a slow machine fails the count instead of the test's timeout). */
  enough(): boolean {
    return this.kills.length >= KILLS || this.elapsedMs() > KILLING_AT_MOST_MS;
  }

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  count(pattern: RegExp): number {
    return this.kills.filter((kill) => pattern.test(kill)).length;
  }
}

/** Starts the service again, with the fault point at `probability`; its fault point may fire before it is even ready. */
async function restart(platform: TestPlatform, service: Crashing, probability: number, log: KillLog): Promise<void> {
  for (;;) {
    try {
      return await platform.startAgain(service, { KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: String(probability) });
    } catch (error) {
      if (platform.processOf(service)?.signalCode !== 'SIGKILL') throw error;
      log.kills.push(`${service}:fault-at-start`);
    }
  }
}

/** Resolves `true` when the process exits within `ms`, else `false`. */
function exitWithin(child: NonNullable<ReturnType<TestPlatform['processOf']>>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    child.once('exit', onExit);
  });
}

/**
 * Ends the service's lives one after another until the log has enough: a life without the fault point is
 * SIGKILLed at a random moment, one with it dies at its fault point (or is killed after a while). Every draw
 * is made whatever comes next, so that the sequence is the seed's; the life after the last kill has no fault
 * point, as the service must stay up for the checks.
 */
async function killRepeatedly(platform: TestPlatform, service: Crashing, random: () => number, log: KillLog): Promise<void> {
  let faultPoint = 0;
  for (let last = false; !last;) {
    const lifeMs = faultPoint > 0 ? LIFE_MS.faultPointAtMost : Math.round(LIFE_MS.min + random() * (LIFE_MS.max - LIFE_MS.min));
    const diedByItself = await exitWithin(platform.processOf(service)!, lifeMs);
    if (!diedByItself) await platform.killOne(service);
    log.kills.push(diedByItself ? `${service}:fault` : `${service}:${lifeMs}ms`);
    last = log.enough();
    const [share, probability] = [random(), random()];
    faultPoint =
      !last && share < FAULT_LIFE_SHARE ? FAULT_PROBABILITY.min + probability * (FAULT_PROBABILITY.max - FAULT_PROBABILITY.min) : 0;
    await restart(platform, service, faultPoint, log);
  }
}

const nameOf = (namespaceId: unknown, keyPath: unknown) => `${String(namespaceId)}/${String(keyPath)}`;

/** The ids of the events seen on kv.events, by entry and version (a redelivery repeats an id, which consumers skip). */
function eventIdsByEntry(tap: EventTap): Map<string, Map<number, Set<string>>> {
  const ids = new Map<string, Map<number, Set<string>>>();
  for (const { body } of tap.on(KV_EVENTS_EXCHANGE)) {
    if (typeof body.keyPath !== 'string') continue;
    const byVersion = ids.get(nameOf(body.namespaceId, body.keyPath)) ?? new Map<number, Set<string>>();
    byVersion.set(body.version as number, (byVersion.get(body.version as number) ?? new Set()).add(body.id as string));
    ids.set(nameOf(body.namespaceId, body.keyPath), byVersion);
  }
  return ids;
}

/**
 * What is wrong with one owned key: each success one version step (the n-th answered version n), the entry at
 * the version of its last success (or one of the writes left unresolved) with its value, a secret's history
 * one version each with the value its answer gave, one event per version and one audit record per event.
 */
async function problemsOf(
  key: OwnedKey,
  client: KvClient,
  eventIds: ReadonlyMap<number, ReadonlySet<string>>,
  auditIds: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  const label = `${key.secret ? 'secret' : 'plain'} ${key.keyPath}`;
  const successes = key.versions.length;
  if (key.versions.some((version, index) => version !== index + 1))
    problems.push(`${label}: successes answered versions ${key.versions.join(',')}`);
  const current = await client.getEntry(key.namespaceId, key.keyPath);
  const versions = current.version;
  if (versions < successes || versions > successes + key.unresolved)
    problems.push(`${label}: at version ${versions} after ${successes} successes (${key.unresolved} unresolved)`);
  if (key.unresolved === 0 && JSON.stringify(current.value) !== JSON.stringify(key.values.at(-1)))
    problems.push(`${label}: holds another value than its last success answered`);
  if (key.secret) {
    const history: number[] = [];
    for await (const version of client.versions(key.namespaceId, key.keyPath)) history.push(version.version);
    const expected = Array.from({ length: versions }, (_, index) => versions - index);
    if (JSON.stringify(history) !== JSON.stringify(expected)) problems.push(`${label}: history ${history.join(',')}`);
    // A replayed answer too gave the value its version holds (a generated one for a rotation).
    for (const [index, version] of key.versions.entries()) {
      const stored = await client.getEntry(key.namespaceId, key.keyPath, { version });
      if (JSON.stringify(stored.value) !== JSON.stringify(key.values[index]))
        problems.push(`${label}: version ${version} answered another value`);
    }
  }
  const eventCounts = Array.from({ length: versions }, (_, index) => eventIds.get(index + 1)?.size ?? 0);
  if (eventCounts.some((count) => count !== 1) || [...eventIds.keys()].some((version) => version > versions))
    problems.push(
      `${label}: events by version ${JSON.stringify(Object.fromEntries([...eventIds].map(([version, ids]) => [version, ids.size])))}`,
    );
  const events = [...eventIds.values()].flatMap((ids) => [...ids]).sort();
  if (JSON.stringify([...auditIds].sort()) !== JSON.stringify(events))
    problems.push(`${label}: ${auditIds.length} audit records for ${events.length} events (${versions} versions)`);
  return problems;
}

/**
 * Issue 19's crash test. Writers (plain and conditional PUTs, bulk sets, secret PUTs and rotations), each
 * owning its keys, write through the typed client, which sends an Idempotency-Key with each write and retries
 * it after 503, IDEMPOTENCY_KEY_IN_PROGRESS and broken connections. Meanwhile kv-entry and secrets are killed
 * with SIGKILL over and over: at random moments, and in some lives by the fault point right after a commit
 * and before the reply (KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY). Afterwards every write a client saw succeed
 * was applied exactly once: one version step, one event by id, one audit record; and no conditional write
 * was answered 409 for its own success.
 */
describe('crash recovery', () => {
  let platform: TestPlatform;
  let tap: EventTap;
  let token: string;

  beforeAll(async () => {
    // Node's compile cache: a restarted service boots faster, so more kills fit in the test's time.
    platform = await TestPlatform.start({ NODE_COMPILE_CACHE: join(tmpdir(), 'kv-crash-recovery-compile-cache') });
    tap = await EventTap.start(platform.state.rabbitmqUrl, [{ exchange: KV_EVENTS_EXCHANGE, pattern: '#' }]);
    token = await signedToken(anAdmin({ id: 'crash-tester' }), platform.state.jwtSecret, 900);
  }, 120_000);

  afterAll(async () => {
    await tap?.close();
    await platform?.stop();
  });

  const createNamespace = async (name: string, isSecretNamespace: boolean): Promise<string> => {
    const created = await call('POST', '/namespaces', {
      baseUrl: platform.state.gatewayUrl,
      token,
      body: { name, applicationId: 'crash', isSecretNamespace },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  /** The writers, two to four a kind, over both namespaces. */
  function writers(plain: string, secret: string): Writer[] {
    const owned = (namespaceId: string, keyPath: string): OwnedKey => ({
      namespaceId,
      secret: namespaceId === secret,
      keyPath,
      versions: [],
      values: [],
      unresolved: 0,
    });
    const writer = (kind: string, keys: OwnedKey[], write: Writer['write']): Writer => ({ kind, keys, write, conflicts: 0, failures: [] });
    const valueOf = (key: OwnedKey, round: number) => `${key.keyPath}#${round}`;
    const put = (kind: string, key: OwnedKey) =>
      writer(kind, [key], async (client, round) => [(await client.putEntry(key.namespaceId, key.keyPath, valueOf(key, round))).entry]);
    const conditionalPut = (kind: string, key: OwnedKey) =>
      writer(kind, [key], async (client, round) => [
        (await client.putEntry(key.namespaceId, key.keyPath, valueOf(key, round), { expectedVersion: key.versions.at(-1) ?? 0 })).entry,
      ]);
    const bulkSet = (kind: string, keys: OwnedKey[]) =>
      writer(kind, keys, (client, round) =>
        client.bulkSet(
          keys[0]!.namespaceId,
          keys.map((key) => ({ key: key.keyPath, value: valueOf(key, round) })),
        ),
      );
    const rotation = (key: OwnedKey) =>
      writer('secret rotation', [key], async (client, round) => [
        round === 0
          ? (await client.putEntry(key.namespaceId, key.keyPath, valueOf(key, round))).entry
          : await client.rotateSecret(key.namespaceId, key.keyPath, { length: 24 }),
      ]);
    return [
      put('plain PUT', owned(plain, 'put/0')),
      put('plain PUT', owned(plain, 'put/1')),
      conditionalPut('plain conditional PUT', owned(plain, 'cas/0')),
      conditionalPut('plain conditional PUT', owned(plain, 'cas/1')),
      bulkSet('plain bulk set', [owned(plain, 'bulk/0'), owned(plain, 'bulk/1'), owned(plain, 'bulk/2')]),
      put('secret PUT', owned(secret, 'put/0')),
      conditionalPut('secret conditional PUT', owned(secret, 'cas/0')),
      rotation(owned(secret, 'rotated/0')),
      bulkSet('secret bulk set', [owned(secret, 'bulk/0'), owned(secret, 'bulk/1')]),
    ];
  }

  it(`applies every write a client saw succeed exactly once through ${KILLS} kills of kv-entry and secrets`, async () => {
    console.log(`[crash] seed ${SEED} (replay with KV_CRASH_SEED=${SEED})`);
    const plain = await createNamespace('crash-plain', false);
    const secret = await createNamespace('crash-secret', true);
    const tally: TransportTally = { attempts: 0, unavailable: 0, inProgress: 0, broken: 0, replayed: 0 };
    // Retries far beyond any outage here, so that every write ends knowing its outcome. A patient client waits out the
    // gateway's 503; an impatient one gives up on an attempt first and retries while that attempt may still be applied.
    const clientWaiting = (timeoutMs: number) =>
      new KvClient({
        baseUrl: platform.state.gatewayUrl,
        token,
        retry: { attempts: 80, baseDelayMs: 100, maxDelayMs: 1000 },
        timeoutMs,
        fetch: talliedFetch(tally),
      });
    const clients = [clientWaiting(15_000), clientWaiting(1500)];
    const all = writers(plain, secret);
    let writing = true;
    const written = Promise.all(all.map((writer, index) => runWriter(writer, clients[index % 2]!, () => !writing)));
    const client = clients[0]!;

    // Each service has a killer of its own, both drawing from the seed.
    const log = new KillLog();
    try {
      await Promise.all(CRASHING.map((service, index) => killRepeatedly(platform, service, seededRandom(SEED + index), log)));
      const killingMs = log.elapsedMs();
      await sleep(1500);
      writing = false;
      await written;

      // Every exit of a service was one of the kills.
      const exits = platform.unexpectedExits();
      expect(exits.filter((exit) => !/^(kv-entry|secrets) exited \(code null, signal SIGKILL\)$/.test(exit))).toEqual([]);
      expect(await settled(platform.state)).toBe(true);

      const keys = all.flatMap((writer) => writer.keys);
      const eventIds = eventIdsByEntry(tap);
      const auditRows = await queryDatabase<{ id: string; namespace_id: string; key_path: string }>(
        platform.state.databaseUrls.audit!,
        `SELECT id, namespace_id, key_path FROM audit_record WHERE success AND action IN ('WRITE', 'ROTATE') AND namespace_id = ANY($1::uuid[])`,
        [[plain, secret]],
      );
      const auditIds = new Map<string, string[]>();
      for (const row of auditRows)
        auditIds.set(nameOf(row.namespace_id, row.key_path), [...(auditIds.get(nameOf(row.namespace_id, row.key_path)) ?? []), row.id]);
      const problems: string[] = [];
      for (const key of keys) {
        const name = nameOf(key.namespaceId, key.keyPath);
        problems.push(...(await problemsOf(key, client, eventIds.get(name) ?? new Map(), auditIds.get(name) ?? [])));
      }

      const successes = keys.reduce((sum, key) => sum + key.versions.length, 0);
      const byKind = new Map<string, number>();
      for (const writer of all) byKind.set(writer.kind, (byKind.get(writer.kind) ?? 0) + writer.keys[0]!.versions.length);
      const conflicts = all.reduce((sum, writer) => sum + writer.conflicts, 0);
      const failures = all.flatMap((writer) => writer.failures.map((failure) => `${writer.kind}: ${failure}`));
      const kills = log.kills.length;
      const faults = log.count(/:fault/);
      console.log(
        `[crash] seed ${SEED}: ${kills} kills in ${Math.round(killingMs / 1000)} s ` +
          `(kv-entry ${log.count(/^kv-entry:/)}, secrets ${log.count(/^secrets:/)}; ` +
          `${kills - faults} at random moments, ${faults} at the fault point after a commit); ` +
          `${successes} key writes seen succeed (${[...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ')}); ` +
          `attempts ${tally.attempts}: ${tally.unavailable} answered 503, ${tally.inProgress} IDEMPOTENCY_KEY_IN_PROGRESS, ${tally.broken} broken, ` +
          `${tally.replayed} replayed; ${conflicts} conflicts with their own success, ${failures.length} writes failed; ` +
          `${auditRows.length} audit records checked; ${problems.length} problems\n[crash] kills: ${log.kills.join(' ')}`,
      );
      expect(kills).toBeGreaterThanOrEqual(50);
      expect(faults).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(conflicts).toBe(0);
      expect(failures).toEqual([]);
      // The kills did cut writes short: some were answered from their first outcome.
      expect(tally.replayed).toBeGreaterThan(0);
      const verified = await call('GET', '/audit/verify', { baseUrl: platform.state.gatewayUrl, token });
      expect(verified.body).toMatchObject({ ok: true, firstBrokenSequence: null });
    } finally {
      writing = false;
    }
  }, 300_000);
});
