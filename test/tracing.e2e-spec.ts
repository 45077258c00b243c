import { randomBytes } from 'node:crypto';
import { call } from './support/api';
import { OtlpReceiver, ReceivedSpan, SpanKind } from './support/otlp-receiver';
import { anAdmin, signedToken } from './support/principals';
import { TestPlatform } from './support/test-platform';

const methodOf = (span: ReceivedSpan) => span.attributes['http.request.method'] ?? span.attributes['http.method'];
const targetOf = (span: ReceivedSpan) => String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? '');

/** The chain of parents from `span` up to its trace's root, as far as the exported spans reach. */
function ancestorsOf(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let parent = span.parentSpanId; parent !== undefined; parent = byId.get(parent)?.parentSpanId) {
    const found = byId.get(parent);
    if (!found) throw new Error(`span ${span.name} (${span.service}) has a parent ${parent} that was never exported`);
    chain.push(found);
  }
  return chain;
}

/**
 * The platform with tracing on (every trace sampled, OTLP/JSON to a receiver of the test's): one request is one trace from
 * the gateway through the broker to the service and its Postgres queries, and no secret value, plain value or token is
 * ever exported.
 */
describe('tracing', () => {
  const plantedSecret = `PLANTED-SECRET-${randomBytes(12).toString('hex')}`;
  const plantedPlain = `PLANTED-PLAIN-${randomBytes(12).toString('hex')}`;
  let receiver: OtlpReceiver;
  let platform: TestPlatform;
  let token: string;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    platform = await TestPlatform.start({
      KV_TRACING_ENABLED: 'true',
      KV_TRACING_SAMPLE_RATIO: '1',
      KV_TRACING_OTLP_ENDPOINT: receiver.url,
      KV_TRACING_OTLP_PROTOCOL: 'http/json',
    });
    token = await signedToken(anAdmin({ id: 'tracing-tester' }), platform.state.jwtSecret);
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      call(method, path, { token, body, headers, baseUrl: platform.state.gatewayUrl });

    const secrets = await api('POST', '/namespaces', { name: 'traced-secrets', applicationId: 'tracing', isSecretNamespace: true });
    expect(secrets.status).toBe(201);
    const plain = await api('POST', '/namespaces', { name: 'traced-plain', applicationId: 'tracing' });
    expect(plain.status).toBe(201);
    expect((await api('PUT', `/${secrets.body.id}/entries/db/password`, { value: plantedSecret, valueType: 'STRING' })).status).toBe(201);
    const read = await api('GET', `/${secrets.body.id}/entries/db/password`);
    expect(read.status).toBe(200);
    expect(read.body.value).toBe(plantedSecret);
    expect((await api('PUT', `/${plain.body.id}/entries/db/host`, { value: plantedPlain, valueType: 'STRING' })).status).toBe(201);
    // A token in a query string is refused, and must not be exported with the URL either.
    const queried = await call('GET', `/${plain.body.id}/entries/db/host?access_token=${token}`, { baseUrl: platform.state.gatewayUrl });
    expect(queried.status).toBeGreaterThanOrEqual(400);

    // Stopping flushes: the gateway first, as a rolling update would, then the services.
    for (const name of ['gateway', 'kv-entry', 'secrets', 'audit'] as const) await platform.stopOne(name);
    spans = receiver.spans();
  });

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
  });

  /** The trace of the gateway's HTTP span for `method` on a path ending with `pathEnd`, checked to start there. */
  function traceOf(method: string, pathEnd: string): { root: ReceivedSpan; trace: ReceivedSpan[]; byId: Map<string, ReceivedSpan> } {
    const roots = spans.filter(
      (span) =>
        span.service === 'gateway' && span.kind === SpanKind.SERVER && methodOf(span) === method && targetOf(span).endsWith(pathEnd),
    );
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.parentSpanId).toBeUndefined();
    const trace = spans.filter((span) => span.traceId === root.traceId);
    return { root, trace, byId: new Map(trace.map((span) => [span.spanId, span])) };
  }

  it.each([
    ['PUT', 'a write'],
    ['GET', 'a read'],
  ])('follows %s of a secret (%s) in one trace: gateway, broker, secrets service, Postgres', (method) => {
    const { root, trace, byId } = traceOf(method, '/entries/db/password');
    // The service's consumer span continues the gateway's message: its parent is the gateway's publish, under the request.
    const consumed = trace.filter((span) => span.service === 'secrets' && span.kind === SpanKind.CONSUMER);
    expect(consumed).toHaveLength(1);
    const publish = byId.get(consumed[0]!.parentSpanId!);
    expect(publish).toMatchObject({ service: 'gateway', kind: SpanKind.PRODUCER });
    expect(ancestorsOf(consumed[0]!, byId).at(-1)).toBe(root);
    // Its queries are children of its handling, in the same trace.
    const queries = trace.filter((span) => span.service === 'secrets' && span.scope === '@opentelemetry/instrumentation-pg');
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(ancestorsOf(query, byId)).toContain(consumed[0]);
    // The reply comes back in the same trace too.
    expect(trace.some((span) => span.service === 'gateway' && span.kind === SpanKind.CONSUMER)).toBe(true);
  });

  it('records statements but never their parameters: a plain value written is in no span', () => {
    const { trace } = traceOf('PUT', '/entries/db/host');
    const statements = trace
      .filter((span) => span.service === 'kv-entry' && span.scope === '@opentelemetry/instrumentation-pg')
      .map((span) => String(span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? ''));
    expect(statements.some((statement) => /insert/i.test(statement))).toBe(true);
    for (const body of receiver.bodies) expect(body).not.toContain(plantedPlain);
  });

  it('exports no secret value and no token, anywhere in any body', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    const forms = [plantedSecret, Buffer.from(plantedSecret).toString('base64'), token, token.split('.')[2]!];
    for (const body of receiver.bodies) for (const form of forms) expect(body).not.toContain(form);
    // The refused request was traced, with its query (HTTP's url.query, Fastify's url.path) and the token redacted.
    const refused = spans.filter((span) => `${targetOf(span)}?${span.attributes['url.query'] ?? ''}`.includes('access_token=[redacted]'));
    expect(new Set(refused.map((span) => span.scope))).toEqual(new Set(['@opentelemetry/instrumentation-http', '@fastify/otel']));
  });

  it('starts no trace for health probes', () => {
    expect(spans.some((span) => /\/health\/(live|ready)/.test(targetOf(span)))).toBe(false);
  });
});
