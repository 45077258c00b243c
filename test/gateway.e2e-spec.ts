import { request } from 'node:http';
import { call, platformState, tokenFor } from './support/api';
import { TestPlatform } from './support/test-platform';
import { anAdmin, signedToken } from './support/principals';

describe('gateway', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await tokenFor();
  });

  it("echoes the caller's request id, or makes one, on success and on error", async () => {
    const given = await call('GET', '/namespaces', { token: admin, headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await call('GET', '/namespaces', { token: admin });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const error = await call('GET', '/no/such/route', { token: admin, headers: { 'x-request-id': 'trace-456' } });
    expect(error.headers.get('x-request-id')).toBe('trace-456');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await call('GET', '/no/such/route', { token: admin });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'ROUTE_NOT_FOUND' });
  });

  it('serves liveness and readiness without a token', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200);
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    // Its channel to each of the three services, beside the broker's handshake.
    expect(ready.body.details['rabbitmq-links']).toEqual({ status: 'up', links: 3 });
  });

  it("reports each service's consumer of its request queue in the service's readiness", async () => {
    for (const service of ['kv-entry', 'secrets', 'audit']) {
      const readiness = platformState().metricsUrls[service]!.replace(/\/metrics$/, '/health/ready');
      const response = await fetch(readiness);
      expect([service, response.status]).toEqual([service, 200]);
      expect(((await response.json()) as { details: Record<string, unknown> }).details['rabbitmq-links']).toEqual({
        status: 'up',
        links: 1,
      });
    }
  });

  it('serves the Swagger UI and an OpenAPI document of every route', async () => {
    const ui = await call('GET', '/swagger-ui');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toMatch(/swagger/i);
    const document = await call('GET', '/openapi.json');
    expect(document.status).toBe(200);
    const paths = Object.keys(document.body.paths);
    for (const path of [
      '/api/v1/kv/namespaces',
      '/api/v1/kv/namespaces/{nsId}',
      '/api/v1/kv/{nsId}/entries',
      '/api/v1/kv/{nsId}/bulk/get',
      '/api/v1/kv/{nsId}/bulk/set',
      '/api/v1/kv/{nsId}/bulk/delete',
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths.some((path) => path.startsWith('/api/v1/kv/{nsId}/entries/'))).toBe(true);
  });

  it('refuses a body over the request size limit with 413 PAYLOAD_TOO_LARGE, without reading it', async () => {
    // Announce 17 MiB but send only a little: the gateway must answer from the header alone. (Streaming
    // the whole body races the early answer and the closed socket.)
    const target = new URL(platformState().gatewayUrl);
    const response = await new Promise<{ status: number; body: { code: string } }>((resolve, reject) => {
      const outgoing = request(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: `${target.pathname}/namespaces`,
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'content-length': String(17 * 1024 * 1024) },
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => (text += chunk));
          incoming.on('end', () => {
            resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(text) });
            outgoing.destroy();
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.write('{"name":"');
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('gateway when a service is away', () => {
  let platform: TestPlatform;
  let admin: string;
  let base: string;

  beforeAll(async () => {
    platform = await TestPlatform.start();
    base = platform.state.gatewayUrl;
    admin = await signedToken(anAdmin({ id: 'fault-test' }), platform.state.jwtSecret, 600);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 503 within the timeout and does not apply the request later', async () => {
    const created = await call('POST', '/namespaces', { baseUrl: base, token: admin, body: { name: 'faults', applicationId: 'faults' } });
    expect(created.status).toBe(201);
    const ns = created.body.id as string;

    await platform.stopOne('kv-entry');
    const started = Date.now();
    const response = await call('PUT', `/${ns}/entries/while-away`, {
      baseUrl: base,
      token: admin,
      body: { value: 'late', valueType: 'STRING' },
    });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(['SERVICE_UNAVAILABLE', 'SERVICE_TIMEOUT']).toContain(response.body.code);
    expect(Date.now() - started).toBeLessThan(10_000);

    await platform.startAgain('kv-entry');
    const after = await call('GET', `/${ns}/entries/while-away`, { baseUrl: base, token: admin });
    expect(after.status).toBe(404);
    const works = await call('PUT', `/${ns}/entries/after`, { baseUrl: base, token: admin, body: { value: 'ok', valueType: 'STRING' } });
    expect(works.status).toBe(201);
  }, 60_000);
});
