import { RunningService, stopService } from '../scripts/platform/processes';
import { ApiResponse, call, createNamespace, platformState, tokenFor } from './support/api';
import { startGatewayReplica } from './support/gateway-replica';
import { scrapedSample } from './support/metrics';
import { createTestUser, TestUser } from './support/rabbitmq-vhost';
import { eventually } from './support/workload';
import { anAdmin } from './support/principals';

/**
 * Two gateways on one platform, as two replicas behind a load balancer: what is written through one is
 * read through the other with `Cache-Control: max-age=3600`, so that only kv.events can refresh the
 * copy it keeps (its maximum age and namespace TTL are set far beyond the test's waits).
 */
describe('the gateway entry cache across replicas', () => {
  let replica: RunningService;
  let replicaUrl: string;
  let replicaMetricsUrl: string;
  let token: string;

  beforeAll(async () => {
    const started = await startGatewayReplica('gateway-cache-replica.log', {
      KV_ENTRY_CACHE_MAX_AGE_MS: '3600000',
      KV_NAMESPACE_CACHE_TTL_MS: '60000',
    });
    ({ replica, url: replicaUrl, metricsUrl: replicaMetricsUrl } = started);
    token = await tokenFor(anAdmin({ id: 'cache-user' }));
  });

  afterAll(async () => {
    if (replica) await stopService(replica);
  });

  /** A read through the replica that accepts its kept copy. */
  const viaReplica = (path: string, headers: Record<string, string> = { 'cache-control': 'max-age=3600' }) =>
    call('GET', path, { token, baseUrl: replicaUrl, headers });

  let lastRead: ApiResponse | undefined;
  /** Reads `path` twice through the replica; true when the second read was answered from its copy. */
  async function hitOnce(path: string, requestId = 'cache-e2e'): Promise<boolean> {
    await viaReplica(path);
    const hitsBefore = await cacheHits();
    lastRead = await viaReplica(path, { 'cache-control': 'max-age=3600', 'x-request-id': requestId });
    return (await cacheHits()) - hitsBefore === 1;
  }

  async function cacheHits(): Promise<number> {
    return (await scrapedSample(replicaMetricsUrl, 'kv_gateway_entry_cache_reads_total', { outcome: 'hit' })) ?? 0;
  }

  it('serves a repeated read from memory, and a write through the other gateway replaces it', async () => {
    const ns = (await createNamespace(token)).id;
    await call('PUT', `/${ns}/entries/config/mode`, { token, body: { value: 'blue', valueType: 'STRING' } });
    // The creation's own event may evict the first copy kept, so read twice until the second one hits.
    const requestId = `cached-read-${ns}`;
    expect(await eventually(() => hitOnce(`/${ns}/entries/config/mode`, requestId), 10_000, 50)).toBe(true);
    const again = lastRead!;
    expect(again).toMatchObject({ status: 200, body: { value: 'blue', version: 1 } });
    expect(again.headers.get('etag')).toBe('"1"');
    // A read answered from the copy is audited like any other.
    const auditedReads = async () =>
      (await call('GET', `/audit?namespaceId=${ns}&action=READ&limit=200`, { token })).body.items.filter(
        (item: { requestId: string }) => item.requestId === requestId,
      );
    expect(await eventually(async () => (await auditedReads()).length > 0, 10_000)).toBe(true);

    await call('PUT', `/${ns}/entries/config/mode`, { token, body: { value: 'green', valueType: 'STRING' } });
    expect(await eventually(async () => (await viaReplica(`/${ns}/entries/config/mode`)).body.value === 'green', 10_000, 50)).toBe(true);
    const seen = await viaReplica(`/${ns}/entries/config/mode`);
    expect(seen).toMatchObject({ status: 200, body: { value: 'green', version: 2 } });
    expect(seen.headers.get('etag')).toBe('"2"');
  });

  it('keeps one copy whatever the case of the namespace id, and evicts it on the change', async () => {
    const ns = (await createNamespace(token)).id;
    const upper = ns.toUpperCase();
    await call('PUT', `/${ns}/entries/k`, { token, body: { value: 'old', valueType: 'STRING' } });
    expect(await eventually(() => hitOnce(`/${upper}/entries/k`), 10_000, 50)).toBe(true);
    expect(await hitOnce(`/${ns}/entries/k`)).toBe(true);
    await call('PUT', `/${ns}/entries/k`, { token, body: { value: 'new', valueType: 'STRING' } });
    expect(await eventually(async () => (await viaReplica(`/${upper}/entries/k`)).body.value === 'new', 10_000, 50)).toBe(true);
  });

  it('a read that does not ask for a copy sees a write through the other gateway at once', async () => {
    const ns = (await createNamespace(token)).id;
    await call('PUT', `/${ns}/entries/flag`, { token, body: { value: 1, valueType: 'NUMBER' } });
    await viaReplica(`/${ns}/entries/flag`);
    await call('PUT', `/${ns}/entries/flag`, { token, body: { value: 2, valueType: 'NUMBER' } });
    expect((await viaReplica(`/${ns}/entries/flag`, {})).body.value).toBe(2);
    expect((await viaReplica(`/${ns}/entries/flag`, { 'cache-control': 'no-cache' })).body.value).toBe(2);
  });

  it('a deletion and a bulk write through the other gateway are seen', async () => {
    const ns = (await createNamespace(token)).id;
    await call('POST', `/${ns}/bulk/set`, {
      token,
      body: { entries: ['gone', 'bulk'].map((key) => ({ key, value: `${key}-1`, valueType: 'STRING' })) },
    });
    // Copies held (the bulk write's own events may evict the first ones), so that what follows tests eviction.
    for (const key of ['gone', 'bulk']) expect(await eventually(() => hitOnce(`/${ns}/entries/${key}`), 10_000, 50)).toBe(true);

    await call('DELETE', `/${ns}/entries/gone`, { token });
    await call('POST', `/${ns}/bulk/set`, { token, body: { entries: [{ key: 'bulk', value: 'bulk-2', valueType: 'STRING' }] } });
    expect(await eventually(async () => (await viaReplica(`/${ns}/entries/gone`)).body.code === 'ENTRY_NOT_FOUND', 10_000, 50)).toBe(true);
    expect(await eventually(async () => (await viaReplica(`/${ns}/entries/bulk`)).body.value === 'bulk-2', 10_000, 50)).toBe(true);
  });

  it('a namespace deleted through the other gateway is gone here too', async () => {
    const ns = (await createNamespace(token)).id;
    await call('PUT', `/${ns}/entries/k`, { token, body: { value: 'v', valueType: 'STRING' } });
    expect((await viaReplica(`/${ns}/entries/k`)).status).toBe(200);
    expect((await call('DELETE', `/namespaces/${ns}`, { token })).status).toBe(204);
    expect(await eventually(async () => (await viaReplica(`/${ns}/entries/k`)).body.code === 'NAMESPACE_NOT_FOUND', 10_000, 50)).toBe(true);
  });
});

/**
 * A gateway whose broker user may not read from kv.events: the broker refuses its subscription (closing
 * only the channel), so it serves no copies; once allowed, it subscribes on its own, without a restart.
 */
describe('the gateway entry cache when the broker refuses its subscription', () => {
  let user: TestUser;
  let replica: RunningService | undefined;

  beforeAll(() => {
    user = createTestUser(platformState().rabbitmqUrl, 'kvtest_refused');
    user.permit('.*', '.*', '^(?!kv\\.events$).*');
  });

  afterAll(async () => {
    if (replica) await stopService(replica);
    user.delete();
  });

  it('serves no copies while refused, and subscribes again once allowed', async () => {
    const started = await startGatewayReplica('gateway-refused-replica.log', { KV_RABBITMQ_URL: user.url });
    replica = started.replica;
    const refusals = () => started.lines.filter((line) => line.includes('kv.events subscription failed')).length;
    // Refused (the broker's refusal ends the connection), then tried again on a new one, still refused.
    expect(await eventually(async () => refusals() >= 2, 20_000)).toBe(true);
    expect(await scrapedSample(started.metricsUrl, 'kv_gateway_entry_cache_serving')).toBe(0);
    // The gateway itself works meanwhile: a read goes to kv-entry.
    const token = await tokenFor(anAdmin({ id: 'refused-user' }));
    const ns = (await createNamespace(token)).id;
    await call('PUT', `/${ns}/entries/k`, { token, body: { value: 'v', valueType: 'STRING' } });
    expect(
      await call('GET', `/${ns}/entries/k`, { token, baseUrl: started.url, headers: { 'cache-control': 'max-age=60' } }),
    ).toMatchObject({ status: 200, body: { value: 'v' } });

    user.permit('.*', '.*', '.*');
    expect(await eventually(async () => (await scrapedSample(started.metricsUrl, 'kv_gateway_entry_cache_serving')) === 1, 20_000)).toBe(
      true,
    );
  });
});
