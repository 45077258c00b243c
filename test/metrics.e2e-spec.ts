import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { sample } from './support/metrics';
import { anAdmin } from './support/principals';

const scrape = async (service: string): Promise<string> => {
  const response = await fetch(platformState().metricsUrls[service]!);
  expect(response.status).toBe(200);
  return response.text();
};

describe('Prometheus metrics on every process', () => {
  it('reports requests at the gateway, message handling, outbox backlog and pool use at the services', async () => {
    const admin = await tokenFor(anAdmin({ id: 'metrics-user' }));
    const ns = (await createNamespace(admin, { applicationId: uniqueName('metrics') })).id;
    await call('PUT', `/${ns}/entries/a/b`, { token: admin, body: { value: 'planted-metric-value', valueType: 'STRING' } });
    await call('GET', `/${ns}/entries/a/b`, { token: admin });
    await call('GET', `/${ns}/entries/missing`, { token: admin });

    const entryRoute = '/api/v1/kv/:nsId/entries/*';
    const gateway = await scrape('gateway');
    expect(
      sample(gateway, 'kv_http_request_duration_seconds_count', { route: entryRoute, method: 'GET', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(gateway, 'kv_http_request_duration_seconds_count', { route: entryRoute, method: 'GET', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(gateway, 'kv_http_request_duration_seconds_count', { route: entryRoute, method: 'PUT', status: '201' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(gateway, 'process_resident_memory_bytes', { service: 'gateway' })).toBeGreaterThan(0);
    // Its kv.events subscription is live, so reads with Cache-Control: max-age may be served from copies.
    expect(sample(gateway, 'kv_gateway_entry_cache_serving', {})).toBe(1);
    // Route templates only: no namespace id, key or value ever becomes a label.
    expect(gateway).not.toContain(ns);
    expect(gateway).not.toContain('planted-metric-value');

    const kvEntry = await scrape('kv-entry');
    expect(sample(kvEntry, 'kv_rpc_handling_seconds_count', { pattern: 'kv-entry.entry.get.query', outcome: 'ok' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sample(kvEntry, 'kv_rpc_handling_seconds_count', { pattern: 'kv-entry.entry.get.query', outcome: 'ENTRY_NOT_FOUND' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(kvEntry, 'kv_outbox_backlog', { service: 'kv-entry' })).toBeGreaterThanOrEqual(0);
    expect(sample(kvEntry, 'kv_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);

    for (const service of ['secrets', 'audit']) {
      expect(sample(await scrape(service), 'kv_db_pool_connections', { state: 'idle', service })).toBeGreaterThanOrEqual(0);
    }
    expect(sample(await scrape('secrets'), 'kv_outbox_backlog', { service: 'secrets' })).toBeGreaterThanOrEqual(0);
  });
});
