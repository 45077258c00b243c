import { KvNotFoundError, KvRevisionCompactedError, KvTokenExpiredError } from './errors';
import { KvClient } from './kv-client';
import type { ChangeEvent } from './watch';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';

const change = (revision: string, type: string, fields: Record<string, unknown> = {}) =>
  `id: ${revision}\nevent: ${type}\ndata: ${JSON.stringify({ keyPath: 'db/host', version: 1, ...fields, revision })}\n\n`;
const end = (reason: string, revision: string) => `id: ${revision}\nevent: end\ndata: ${JSON.stringify({ reason, revision })}\n\n`;

/** An event stream that sends `frames` in one chunk each, then closes, or with `hold` stays open until aborted. */
function stream(start: string, frames: string[], options: { hold?: boolean; signal?: AbortSignal } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const encoder = new TextEncoder();
      controller.enqueue(encoder.encode(`id: ${start}\nretry: 1000\n\n`));
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      if (!options.hold) controller.close();
      else options.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'x-kv-revision': start } });
}

const refusal = (status: number, code: string) =>
  new Response(JSON.stringify({ statusCode: status, error: 'E', message: `${code} happened`, code }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

interface Opened {
  url: URL;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** A gateway answering each watch request in turn; records what each was sent. */
function gateway(...answers: Array<(signal: AbortSignal) => Response | Promise<Response>>) {
  const opened: Opened[] = [];
  const sleeps: number[] = [];
  const fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    opened.push({ url: new URL(String(url)), headers: init?.headers as Record<string, string>, signal: init!.signal! });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next(init!.signal!);
  });
  const client = new KvClient({
    baseUrl: 'http://gateway:8080',
    token: 'secret-token',
    fetch: fetch as unknown as typeof globalThis.fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 1,
  });
  return { client, opened, sleeps };
}

async function collect(iterator: AsyncIterable<ChangeEvent>, count: number): Promise<ChangeEvent[]> {
  const seen: ChangeEvent[] = [];
  for await (const event of iterator) {
    seen.push(event);
    if (seen.length === count) break;
  }
  return seen;
}

describe('KvClient.watch', () => {
  it('yields each change with its type and revision, sending the token in Authorization and the start as since', async () => {
    const { client, opened } = gateway((signal) => stream('7', [change('8', 'created'), change('9', 'deleted')], { hold: true, signal }));
    const seen = await collect(client.watch(NS, { prefix: 'db/', since: '7' }), 2);
    expect(seen.map(({ type, revision, keyPath }) => ({ type, revision, keyPath }))).toEqual([
      { type: 'created', revision: '8', keyPath: 'db/host' },
      { type: 'deleted', revision: '9', keyPath: 'db/host' },
    ]);
    expect(opened[0].url.pathname).toBe(`/api/v1/kv/${NS}/watch`);
    expect(Object.fromEntries(opened[0].url.searchParams)).toEqual({ prefix: 'db/', since: '7' });
    expect(opened[0].url.href).not.toContain('secret-token');
    expect(opened[0].headers).toMatchObject({ authorization: 'Bearer secret-token', accept: 'text/event-stream' });
  });

  it('closes the connection when the loop is left', async () => {
    const { client, opened } = gateway((signal) => stream('7', [change('8', 'created')], { hold: true, signal }));
    await collect(client.watch(NS), 1);
    expect(opened[0].signal.aborted).toBe(true);
  });

  it('reopens a dropped stream from the last change, after a backoff', async () => {
    const { client, opened, sleeps } = gateway(
      () => stream('7', [change('8', 'created')]),
      (signal) => stream('8', [change('9', 'updated')], { hold: true, signal }),
    );
    const seen = await collect(client.watch(NS, { since: '7' }), 2);
    expect(seen.map((event) => event.revision)).toEqual(['8', '9']);
    expect(opened[1].url.searchParams.get('since')).toBe('8');
    expect(sleeps).toHaveLength(1);
  });

  it('started from now, reopens from where the stream began when no change came before the drop', async () => {
    const { client, opened } = gateway(
      () => stream('41.3', []),
      (signal) => stream('41.3', [change('42.3', 'rotated')], { hold: true, signal }),
    );
    await collect(client.watch(NS), 1);
    expect(opened[0].url.searchParams.has('since')).toBe(false);
    expect(opened[1].url.searchParams.get('since')).toBe('41.3');
  });

  it('reopens at once from the end frame of a gateway stopping or of a slow consumer', async () => {
    const { client, opened, sleeps } = gateway(
      () => stream('7', [end('SHUTDOWN', '7')]),
      () => stream('7', [change('8', 'created'), end('SLOW_CONSUMER', '8')]),
      (signal) => stream('8', [change('9', 'updated')], { hold: true, signal }),
    );
    const seen = await collect(client.watch(NS, { since: '7' }), 2);
    expect(seen.map((event) => event.revision)).toEqual(['8', '9']);
    expect(opened.map((request) => request.url.searchParams.get('since'))).toEqual(['7', '7', '8']);
    expect(sleeps).toEqual([]);
  });

  it('retries 503 and 429 answers with backoff, and a failure resets once a stream opens', async () => {
    const { client, sleeps, opened } = gateway(
      () => refusal(503, 'SERVICE_UNAVAILABLE'),
      () => refusal(429, 'WATCH_LIMIT_REACHED'),
      () => stream('7', [change('8', 'created')]),
      (signal) => stream('8', [change('9', 'created')], { hold: true, signal }),
    );
    const reconnects: number[] = [];
    const seen = await collect(client.watch(NS, { onReconnect: ({ attempt }) => reconnects.push(attempt) }), 2);
    expect(seen).toHaveLength(2);
    expect(opened).toHaveLength(4);
    expect(reconnects).toEqual([1, 2, 1]);
    expect(sleeps).toEqual([200, 400, 200]);
  });

  it('backs off more each time a stream opens and fails before delivering anything, saying why', async () => {
    const { client, sleeps } = gateway(
      () => stream('7', [end('INTERNAL_ERROR', '7')]),
      () => stream('7', [end('INTERNAL_ERROR', '7')]),
      (signal) => stream('7', [change('8', 'created')], { hold: true, signal }),
    );
    const errors: string[] = [];
    await collect(client.watch(NS, { onReconnect: ({ error }) => errors.push((error as Error).message) }), 1);
    expect(sleeps).toEqual([200, 400]);
    expect(errors).toEqual(['the gateway ended the stream ("INTERNAL_ERROR")', 'the gateway ended the stream ("INTERNAL_ERROR")']);
  });

  it('tells each opening with the revision it starts from', async () => {
    const { client } = gateway(
      () => stream('7', []),
      (signal) => stream('9', [change('10', 'created')], { hold: true, signal }),
    );
    const opened: Array<string | null> = [];
    await collect(client.watch(NS, { onOpen: (revision) => opened.push(revision) }), 1);
    expect(opened).toEqual(['7', '9']);
  });

  it('finishes after the namespace is deleted', async () => {
    const { client } = gateway(() =>
      stream('7', [change('8', 'namespace_deleted', { keyPath: null, version: null }), end('NAMESPACE_DELETED', '8')]),
    );
    const seen: string[] = [];
    for await (const event of client.watch(NS)) seen.push(event.type);
    expect(seen).toEqual(['namespace_deleted']);
  });

  it('finishes when a reopening finds the namespace deleted meanwhile (its event missed)', async () => {
    const { client, opened } = gateway(
      () => stream('7', [change('8', 'created')]),
      () => refusal(404, 'NAMESPACE_NOT_FOUND'),
    );
    const seen: string[] = [];
    for await (const event of client.watch(NS)) seen.push(event.revision);
    expect(seen).toEqual(['8']);
    expect(opened).toHaveLength(2);
    expect(opened[1].url.searchParams.get('since')).toBe('8');
  });

  it('throws at the end of its token, and when its point is compacted, in the stream or in the answer', async () => {
    await expect(collect(gateway(() => stream('7', [end('TOKEN_EXPIRED', '7')])).client.watch(NS), 1)).rejects.toBeInstanceOf(
      KvTokenExpiredError,
    );
    await expect(collect(gateway(() => stream('7', [end('REVISION_COMPACTED', '7')])).client.watch(NS), 1)).rejects.toBeInstanceOf(
      KvRevisionCompactedError,
    );
    const compacted = collect(gateway(() => refusal(410, 'REVISION_COMPACTED')).client.watch(NS, { since: '1' }), 1);
    await expect(compacted).rejects.toMatchObject({ statusCode: 410, code: 'REVISION_COMPACTED', name: 'KvRevisionCompactedError' });
  });

  it('does not retry an answer that would come again', async () => {
    const { client, opened } = gateway(() => refusal(404, 'NAMESPACE_NOT_FOUND'));
    await expect(collect(client.watch(NS), 1)).rejects.toBeInstanceOf(KvNotFoundError);
    expect(opened).toHaveLength(1);
  });

  it('fails, without opening again, on a stream that is not a watch', async () => {
    const { client, opened } = gateway(() => stream('7', ['event: created\ndata: <html>\n\n']));
    await expect(collect(client.watch(NS), 1)).rejects.toThrow('the watch sent a frame whose data is not JSON (event "created")');
    expect(opened).toHaveLength(1);
  });

  it('takes a connection silent past idleTimeoutMs as dead and opens another', async () => {
    const { client, opened } = gateway(
      (signal) => stream('7', [], { hold: true, signal }),
      (signal) => stream('7', [change('8', 'created')], { hold: true, signal }),
    );
    const seen = await collect(client.watch(NS, { idleTimeoutMs: 20 }), 1);
    expect(seen[0].revision).toBe('8');
    expect(opened[0].signal.aborted).toBe(true);
  });

  it('opens again when the gateway does not answer within idleTimeoutMs', async () => {
    const { client, opened } = gateway(
      (signal) =>
        new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
      (signal) => stream('7', [change('8', 'created')], { hold: true, signal }),
    );
    const seen = await collect(client.watch(NS, { idleTimeoutMs: 20 }), 1);
    expect(seen[0].revision).toBe('8');
    expect(opened[0].signal.aborted).toBe(true);
  });

  it('ends when its signal aborts, even while waiting between attempts', async () => {
    const controller = new AbortController();
    const client = new KvClient({
      baseUrl: 'http://gateway:8080',
      fetch: (async () => refusal(503, 'SERVICE_UNAVAILABLE')) as unknown as typeof fetch,
      sleep: () => new Promise(() => controller.abort()),
    });
    const seen: ChangeEvent[] = [];
    for await (const event of client.watch(NS, { signal: controller.signal })) seen.push(event);
    expect(seen).toEqual([]);
  });
});

describe('KvClient.snapshot', () => {
  it("reads every page and keeps the first page's revision", async () => {
    const pages = [
      { items: [], nextCursor: 'c1', revision: '5' },
      { items: [], nextCursor: null, revision: '6' },
    ];
    const client = new KvClient({
      baseUrl: 'http://gateway:8080',
      fetch: (async () => {
        const { revision, ...page } = pages.shift()!;
        return new Response(JSON.stringify(page), {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-kv-revision': revision },
        });
      }) as unknown as typeof fetch,
    });
    await expect(client.snapshot(NS, { prefix: 'db/' })).resolves.toEqual({ entries: [], revision: '5' });
  });
});
