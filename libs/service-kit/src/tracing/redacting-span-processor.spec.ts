import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { RedactingSpanProcessor, redactAttribute } from './redacting-span-processor';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('redactAttribute', () => {
  it('takes the credentials out of a URL, wherever the instrumentations put one', () => {
    expect(redactAttribute('url.path', `/api/v1/kv/ns/entries/k?access_token=${jwt}&limit=1`)).toBe(
      '/api/v1/kv/ns/entries/k?access_token=[redacted]&limit=1',
    );
    expect(redactAttribute('url.query', 'limit=1&token=abc')).toBe('limit=1&token=[redacted]');
    expect(redactAttribute('url.full', 'http://gw/x?api_key=abc')).toBe('http://gw/x?api_key=[redacted]');
    expect(redactAttribute('messaging.url', 'amqp://kv:pa:ss@rabbitmq:5672/vhost')).toBe('amqp://rabbitmq:5672/vhost');
    expect(redactAttribute('db.connection_string', 'postgresql://kv:secret@db:5432/kv')).toBe('postgresql://db:5432/kv');
  });

  it('leaves what holds none as it is, and takes a JWT out of any text', () => {
    expect(redactAttribute('url.path', '/api/v1/kv/ns/entries/db/password')).toBe('/api/v1/kv/ns/entries/db/password');
    expect(redactAttribute('db.query.text', 'SELECT value FROM entry WHERE key = $1')).toBe('SELECT value FROM entry WHERE key = $1');
    expect(redactAttribute('exception.message', `bad token ${jwt}`)).toBe('bad token [redacted]');
  });
});

describe('RedactingSpanProcessor', () => {
  it('scrubs attributes, event attributes and the status of a span before any exporter sees it', () => {
    const exported = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new RedactingSpanProcessor(), new SimpleSpanProcessor({ exporter: exported })],
    });
    const span = provider
      .getTracer('spec')
      .startSpan('request', { attributes: { 'url.path': `/x?token=${jwt}`, 'http.response.status_code': 401 } });
    span.setAttribute('messaging.url', 'amqp://guest:guest@127.0.0.1:5672');
    span.recordException(new Error(`refused ${jwt}`));
    span.setStatus({ code: 2, message: `refused ${jwt}` });
    span.end();

    const [ended] = exported.getFinishedSpans();
    expect(ended!.attributes).toEqual({
      'url.path': '/x?token=[redacted]',
      'http.response.status_code': 401,
      'messaging.url': 'amqp://127.0.0.1:5672',
    });
    expect(ended!.events[0]!.attributes!['exception.message']).toBe('refused [redacted]');
    expect(ended!.status).toEqual({ code: 2, message: 'refused [redacted]' });
    expect(JSON.stringify(ended!.events)).not.toContain(jwt);
  });
});
