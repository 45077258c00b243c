import { ChangeEvent, KvClient } from '@kv-service/client';
import { stopService } from '../scripts/platform/processes';
import { scrapedSample } from './support/metrics';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { GatewayReplica, startGatewayReplica } from './support/gateway-replica';
import { aPrincipal, anAdmin, scopedTo, signedToken } from './support/principals';
import { queryDatabase } from './support/scratch-database';
import { SseEvent, WatchStream, changeIdentity } from './support/sse-watch';
import { TcpProxy } from './support/tcp-proxy';
import { sleep } from './support/workload';

const put = (token: string, namespaceId: string, key: string, value: unknown, baseUrl?: string) =>
  call('PUT', `/${namespaceId}/entries/${key}`, { token, baseUrl, body: { value, valueType: 'STRING' } });

/** Revisions of a plain namespace's watch: one number, growing. */
const revisionsOf = (events: readonly SseEvent[]): number[] => events.map((event) => Number(event.id));

/** The identities of what `changes` say happened, each once. */
const identitiesOf = (events: readonly SseEvent[]): Set<string> => new Set(events.map(changeIdentity));

/** The audit service's rows for `sql`, once there are `count` of them (or after 10 s, however many there are). */
async function eventuallyRows(sql: string, parameters: unknown[], count = 1): Promise<unknown[]> {
  let rows: unknown[] = [];
  for (let attempt = 0; attempt < 100 && rows.length < count; attempt += 1) {
    rows = await queryDatabase(platformState().databaseUrls.audit!, sql, parameters);
    if (rows.length < count) await sleep(100);
  }
  return rows;
}

/** Resolves once `done` holds, checking every 20 ms for up to 10 s. */
async function waitUntil(done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !done(); attempt += 1) await sleep(20);
  expect(done()).toBe(true);
}

describe('watching a namespace (GET /{nsId}/watch)', () => {
  let admin: string;
  let replica: GatewayReplica;
  let brokerProxy: TcpProxy;
  const streams: WatchStream[] = [];
  const watch = async (path: string, token: string, options?: Parameters<typeof WatchStream.open>[2]) => {
    const stream = await WatchStream.open(path, token, options);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    admin = await tokenFor(anAdmin({ id: 'watch-user' }));
    // The replica reaches the broker through a proxy the test can cut.
    const broker = new URL(platformState().rabbitmqUrl);
    brokerProxy = await TcpProxy.start(broker.hostname, Number(broker.port || 5672));
    broker.host = `127.0.0.1:${brokerProxy.port}`;
    replica = await startGatewayReplica('gateway-watch-replica.log', {
      KV_RABBITMQ_URL: broker.toString(),
      KV_WATCH_MAX_PER_PRINCIPAL: '3',
    });
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    if (replica) await stopService(replica.replica);
    await brokerProxy?.close();
  });

  it('from a list, every later change of concurrent writers, single and bulk, in revision order, none missed, never a value', async () => {
    const ns = await createNamespace(admin);
    await put(admin, ns.id, 'app/seed', 'seed-value');
    const listed = await call('GET', `/${ns.id}/entries?prefix=app/`, { token: admin });
    expect(listed.status).toBe(200);
    const revision = listed.headers.get('x-kv-revision');
    expect(revision).toMatch(/^\d+$/);
    // A bulk read says its revision too: the same or later (the relay may have logged the seed meanwhile).
    const bulk = await call('POST', `/${ns.id}/bulk/get`, { token: admin, body: { keys: ['app/seed'] } });
    expect(Number(bulk.headers.get('x-kv-revision'))).toBeGreaterThanOrEqual(Number(revision));

    const stream = await watch(`/${ns.id}/watch?prefix=app/&since=${revision}`, admin);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-kv-revision')).toBe(revision);

    const planted = `planted-${uniqueName('watch')}`;
    const written: string[] = [];
    const writer = async (name: string, baseUrl?: string) => {
      for (let i = 0; i < 8; i += 1) {
        const response = await put(admin, ns.id, `app/${name}`, `${planted}-${i}`, baseUrl);
        expect(response.status).toBeLessThan(300);
        written.push(`${response.status === 201 ? 'created' : 'updated'}|app/${name}|${response.body.version}`);
      }
    };
    const bulkWriter = async () => {
      for (let i = 0; i < 4; i += 1) {
        const entries = ['b1', 'b2', 'b3'].map((key) => ({ key: `app/bulk/${key}`, value: `${planted}-bulk-${i}`, valueType: 'STRING' }));
        const response = await call('POST', `/${ns.id}/bulk/set`, { token: admin, body: { entries } });
        expect(response.status).toBe(200);
        for (const entry of response.body.items)
          written.push(`${entry.version === 1 ? 'created' : 'updated'}|${entry.keyPath}|${entry.version}`);
      }
    };
    // One writer goes through the other replica; an entry outside the prefix must not come.
    await Promise.all([writer('a'), writer('b', replica.url), bulkWriter(), put(admin, ns.id, 'other/x', 'outside')]);

    expect(await stream.waitFor(() => written.every((identity) => identitiesOf(stream.changes).has(identity)))).toBe(true);
    const revisions = revisionsOf(stream.changes);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(stream.changes.every((event) => event.data.keyPath.startsWith('app/'))).toBe(true);
    expect(stream.changes.every((event) => event.data.revision === event.id && event.data.namespaceId === ns.id)).toBe(true);
    expect(stream.raw).not.toContain(planted);
    expect(stream.raw).not.toContain('seed-value');
  });

  it('answers HEAD with the headers of the stream, and ends', async () => {
    const ns = await createNamespace(admin);
    const head = await call('HEAD', `/${ns.id}/watch`, { token: admin });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(head.headers.get('x-kv-revision')).toMatch(/^\d+$/);
  });

  it('resumed with Last-Event-ID after a dropped connection, loses nothing written meanwhile', async () => {
    const ns = await createNamespace(admin);
    const first = await watch(`/${ns.id}/watch`, admin);
    await put(admin, ns.id, 'k1', 'v');
    expect(await first.waitFor((events) => events.length === 1)).toBe(true);
    first.close();
    const lastId = first.changes[0]!.id!;
    for (const key of ['k2', 'k3', 'k4']) await put(admin, ns.id, key, 'v');

    const resumed = await watch(`/${ns.id}/watch?since=0`, admin, { headers: { 'last-event-id': lastId } });
    expect(await resumed.waitFor((events) => events.length >= 3)).toBe(true);
    expect(resumed.changes.map((event) => event.data.keyPath)).toEqual(['k2', 'k3', 'k4']);
  });

  it('a point older than the retained change log is 410 REVISION_COMPACTED', async () => {
    const ns = await createNamespace(admin);
    await put(admin, ns.id, 'k', 'v');
    const revision = Number((await call('GET', `/${ns.id}/entries`, { token: admin })).headers.get('x-kv-revision'));
    // What the pruner does once changes age out (KV_CHANGE_LOG_*), done at once: everything up to the head may be gone.
    await queryDatabase(platformState().databaseUrls['kv-entry']!, 'UPDATE change_log_head SET compacted_through = $1', [revision]);
    const refused = await watch(`/${ns.id}/watch?since=${revision - 1}`, admin);
    expect(refused.status).toBe(410);
    expect(refused.body).toMatchObject({ statusCode: 410, code: 'REVISION_COMPACTED' });
    expect((await watch(`/${ns.id}/watch?since=${revision}`, admin)).status).toBe(200);
  });

  it("reaches a watcher on the other replica, and loses nothing while that replica's broker connection is cut", async () => {
    const ns = await createNamespace(admin);
    const stream = await watch(`/${ns.id}/watch`, admin, { baseUrl: replica.url });
    await put(admin, ns.id, 'before', 'v');
    expect(await stream.waitFor((events) => events.some((event) => event.data.keyPath === 'before'))).toBe(true);

    brokerProxy.cut();
    for (const key of ['during-1', 'during-2']) expect((await put(admin, ns.id, key, 'v')).status).toBe(201);
    await sleep(1500);
    brokerProxy.restore();
    await put(admin, ns.id, 'after', 'v');
    expect(await stream.waitFor((events) => events.some((event) => event.data.keyPath === 'after'), 30_000)).toBe(true);
    expect(stream.changes.map((event) => event.data.keyPath)).toEqual(['before', 'during-1', 'during-2', 'after']);
  });

  it('a secret namespace: its entries and namespace changes merged under one cursor, never a value, ended by its deletion', async () => {
    const ns = await createNamespace(admin, { isSecretNamespace: true });
    const planted = `secret-${uniqueName('watch')}`;
    await put(admin, ns.id, 'db/pass', planted);
    const read = await call('GET', `/${ns.id}/entries/db/pass`, { token: admin });
    const revision = read.headers.get('x-kv-revision');
    expect(revision).toMatch(/^\d+\.\d+$/);
    const stream = await watch(`/${ns.id}/watch?since=${revision}`, admin);
    expect(stream.status).toBe(200);

    expect((await call('POST', `/${ns.id}/entries/db/pass/rotate`, { token: admin, body: {} })).status).toBe(200);
    expect((await call('POST', `/${ns.id}/entries/db/pass/rollback`, { token: admin, body: { version: 1 } })).status).toBe(200);
    const update = await call('PUT', `/namespaces/${ns.id}`, {
      token: admin,
      body: { name: ns.name, applicationId: ns.applicationId, isSecretNamespace: true, description: 'changed' },
    });
    expect(update.status).toBe(200);
    expect((await call('DELETE', `/namespaces/${ns.id}`, { token: admin })).status).toBe(204);

    expect(await stream.waitFor(() => stream.end !== undefined)).toBe(true);
    // The read's revision is a lower bound: the write it showed may come again (its relay had not logged it yet).
    const seenByTheRead = 'created|db/pass|1';
    const later = stream.changes.filter((event) => changeIdentity(event) !== seenByTheRead);
    expect(later.map((event) => event.event)).toEqual(['rotated', 'rolled_back', 'namespace_updated', 'namespace_deleted']);
    expect(stream.changes.every((event) => /^\d+\.\d+$/.test(event.id!))).toBe(true);
    expect(stream.end!.data).toEqual({ reason: 'NAMESPACE_DELETED', revision: stream.changes.at(-1)!.id });
    expect(stream.raw).not.toContain(planted);
    expect(await stream.waitFor(() => stream.done)).toBe(true);
  });

  it('shows nothing to a token of another application or namespace, nor to one that may not list', async () => {
    const ns = await createNamespace(admin);
    const other = await createNamespace(admin);
    const cases: Array<[string, string, number, string]> = [
      ['another application', await tokenFor(anAdmin({ id: 'outsider', applications: ['not-this-one'] })), 404, 'NAMESPACE_NOT_FOUND'],
      ['another namespace', await tokenFor(scopedTo(other.id, ['kv-namespace:read', 'kv-entry:read'])), 403, 'FORBIDDEN'],
      ['no kv-namespace:read', await tokenFor(aPrincipal(['kv-entry:read'])), 403, 'FORBIDDEN'],
    ];
    for (const [, token, status, code] of cases) {
      const refused = await watch(`/${ns.id}/watch`, token);
      expect({ status: refused.status, code: refused.body?.code }).toEqual({ status, code });
    }
    const scoped = await watch(`/${ns.id}/watch`, await tokenFor(scopedTo(ns.id, ['kv-namespace:read', 'kv-entry:read'])));
    expect(scoped.status).toBe(200);
  });

  it.each([
    ['a cursor of the wrong form', '?since=12.4', 400, 'INVALID_REVISION'],
    ['a revision ahead of the log', '?since=999999999999', 400, 'INVALID_REVISION'],
    ['an overlong prefix', `?prefix=${'p'.repeat(600)}`, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a JSON error', async (_label, query, status, code) => {
    const ns = await createNamespace(admin);
    const refused = await watch(`/${ns.id}/watch${query}`, admin);
    expect({ status: refused.status, code: refused.body?.code }).toEqual({ status, code });
  });

  it('ends the stream when the token expires', async () => {
    const ns = await createNamespace(admin);
    const shortLived = await signedToken(anAdmin({ id: 'watch-expiring' }), platformState().jwtSecret, 2);
    const stream = await watch(`/${ns.id}/watch`, shortLived);
    expect(stream.status).toBe(200);
    expect(await stream.waitFor(() => stream.end !== undefined, 10_000)).toBe(true);
    expect(stream.end!.data.reason).toBe('TOKEN_EXPIRED');
  });

  it('refuses a principal its watches past KV_WATCH_MAX_PER_PRINCIPAL with 429, and takes one again once another ends', async () => {
    const ns = await createNamespace(admin);
    const token = await tokenFor(anAdmin({ id: uniqueName('watch-limit') }));
    const open = [];
    for (let i = 0; i < 3; i += 1) open.push(await watch(`/${ns.id}/watch`, token, { baseUrl: replica.url }));
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const refused = await watch(`/${ns.id}/watch`, token, { baseUrl: replica.url });
    expect({ status: refused.status, code: refused.body?.code }).toEqual({ status: 429, code: 'WATCH_LIMIT_REACHED' });
    open[0]!.close();
    // The replica counts the watch out once it sees the connection close.
    let again = await watch(`/${ns.id}/watch`, token, { baseUrl: replica.url });
    for (let attempt = 0; attempt < 50 && again.status === 429; attempt += 1) {
      await sleep(100);
      again = await watch(`/${ns.id}/watch`, token, { baseUrl: replica.url });
    }
    expect(again.status).toBe(200);
  });

  it('a stopping replica ends its watches with SHUTDOWN, and the client resumes through another, losing nothing', async () => {
    const ns = await createNamespace(admin);
    const stream = await watch(`/${ns.id}/watch`, admin, { baseUrl: replica.url });
    await put(admin, ns.id, 'before', 'v');
    expect(await stream.waitFor((events) => events.length === 1)).toBe(true);
    expect(await scrapedSample(replica.metricsUrl, 'kv_gateway_watches_open')).toBeGreaterThanOrEqual(1);
    // It ends on its SIGTERM (Nest re-raises it once closed), not by the SIGKILL after the grace period, though a stream was open.
    await stopService(replica.replica);
    expect(replica.replica.process.signalCode).toBe('SIGTERM');
    expect(stream.end?.data).toEqual({ reason: 'SHUTDOWN', revision: stream.changes[0]!.id });
    await put(admin, ns.id, 'after', 'v');
    const resumed = await watch(`/${ns.id}/watch`, admin, { headers: { 'last-event-id': stream.end!.data.revision } });
    expect(await resumed.waitFor((events) => events.length === 1)).toBe(true);
    expect(resumed.changes.map((event) => event.data.keyPath)).toEqual(['after']);
  });

  it("the client library's watch: from a snapshot, through a cut connection, every change, finishing at the namespace's deletion", async () => {
    const ns = await createNamespace(admin);
    await put(admin, ns.id, 'app/seed', 'v');
    const gateway = new URL(platformState().gatewayUrl);
    const gatewayProxy = await TcpProxy.start(gateway.hostname, Number(gateway.port));
    const stopWatching = new AbortController();
    try {
      const client = new KvClient({
        baseUrl: `http://127.0.0.1:${gatewayProxy.port}`,
        token: admin,
        retry: { baseDelayMs: 50, maxDelayMs: 200 },
      });
      const { entries, revision } = await client.snapshot(ns.id, { prefix: 'app/' });
      expect(entries.map((entry) => entry.keyPath)).toEqual(['app/seed']);
      const seen: ChangeEvent[] = [];
      const reconnects: number[] = [];
      const watching = (async () => {
        for await (const change of client.watch(ns.id, {
          prefix: 'app/',
          since: revision!,
          signal: stopWatching.signal,
          onReconnect: ({ attempt }) => reconnects.push(attempt),
        }))
          seen.push(change);
      })();
      await put(admin, ns.id, 'app/one', 'v');
      await waitUntil(() => seen.some((change) => change.keyPath === 'app/one'));
      gatewayProxy.cut();
      await put(admin, ns.id, 'app/two', 'v');
      await put(admin, ns.id, 'other/three', 'v');
      await sleep(300);
      gatewayProxy.restore();
      await put(admin, ns.id, 'app/four', 'v');
      await waitUntil(() => seen.some((change) => change.keyPath === 'app/four'));
      expect(reconnects.length).toBeGreaterThanOrEqual(1);
      expect((await call('DELETE', `/namespaces/${ns.id}`, { token: admin })).status).toBe(204);
      await watching;
      // What the snapshot showed may come again; nothing after it may be missing, or come twice.
      const shown = new Set(entries.map((entry) => `created|${entry.keyPath}|${entry.version}`));
      const identities = seen.map((change) => `${change.type}|${change.keyPath}|${change.version}`).filter((id) => !shown.has(id));
      expect(identities).toEqual(['created|app/one|1', 'created|app/two|1', 'created|app/four|1', 'namespace_deleted|null|null']);
    } finally {
      stopWatching.abort();
      await gatewayProxy.close();
    }
  });

  it('audits the start and the end of a watch, not its events', async () => {
    const ns = await createNamespace(admin);
    const stream = await watch(`/${ns.id}/watch`, admin, { headers: { 'x-request-id': `watch-audit-${ns.id}` } });
    await put(admin, ns.id, 'k', 'v');
    expect(await stream.waitFor((events) => events.length === 1)).toBe(true);
    stream.close();
    const found = await eventuallyRows(
      `SELECT action, success, error_code FROM audit_record WHERE request_id = $1 ORDER BY sequence`,
      [`watch-audit-${ns.id}`],
      2,
    );
    expect(found).toEqual([
      { action: 'WATCH', success: true, error_code: null },
      { action: 'WATCH_END', success: true, error_code: 'CLIENT_CLOSED' },
    ]);
  });
});
