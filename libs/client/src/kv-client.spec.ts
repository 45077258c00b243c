import { IDEMPOTENCY_KEY_HEADER as GATEWAY_IDEMPOTENCY_KEY_HEADER, Limits, parseIdempotencyKey } from '@app/contracts';
import {
  KvApiError,
  KvAuthError,
  KvConflictError,
  KvIdempotencyKeyReusedError,
  KvNotFoundError,
  KvTimeoutError,
  KvUnavailableError,
  UNKNOWN_ERROR_CODE,
} from './errors';
import { InvalidKeyPathError, encodeKeyPath } from './key-path';
import { KvClient, MAX_BULK_ITEMS } from './kv-client';
import { retryAfterMs, retryDelayMs } from './retry';
import { IDEMPOTENCY_KEY_HEADER, Transport } from './transport';
import { anEntry } from '../../../test/support/samples';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a queue of responses (or of answers to each call's init) and records every call. */
function fakeFetch(...responses: Array<Response | ((init?: RequestInit) => Response | Promise<Response>)>) {
  const calls: Call[] = [];
  const fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      body: init?.body === undefined ? undefined : JSON.parse(init.body as string),
    });
    const next = responses.shift();
    if (!next) throw new Error('no more fake responses');
    return typeof next === 'function' ? next(init) : next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const error = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { statusCode: status, error: 'E', message: `${code.toLowerCase()} happened`, code }, headers);
const entry = (fields: Record<string, unknown>) => ({ ...anEntry({ namespaceId: NS }), ...fields });

/** What fetch does when the connection is refused or breaks. */
const brokenConnection = () => {
  throw new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
};
/** A gateway that never answers: the call ends only when its signal aborts it. */
const noAnswer = (init?: RequestInit) =>
  new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function clientWith(fetch: typeof globalThis.fetch, attempts = 3, timeoutMs?: number) {
  const sleeps: number[] = [];
  const client = new KvClient({
    baseUrl: 'http://gw:8080/',
    token: 't0ken',
    fetch,
    timeoutMs,
    retry: { attempts, baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });
  return { client, sleeps };
}

describe('KvClient', () => {
  it("takes as many items a bulk call as the gateway's limit (this package cannot import the contracts)", () => {
    expect(MAX_BULK_ITEMS).toBe(Limits.MAX_BULK_KEYS);
  });

  describe('requests', () => {
    it('sends the bearer token to the API root, whether the base URL names it or not', async () => {
      for (const baseUrl of ['http://gw:8080', 'http://gw:8080/api/v1/kv/']) {
        const { fetch, calls } = fakeFetch(json(200, { items: [], nextCursor: null }));
        await new KvClient({ baseUrl, token: 'abc', fetch }).listNamespaces({ applicationId: 'billing', limit: 5 });
        expect(calls[0].url).toBe('http://gw:8080/api/v1/kv/namespaces?applicationId=billing&limit=5');
        expect(calls[0].headers.authorization).toBe('Bearer abc');
      }
    });

    it('keeps a key hierarchical and percent-encodes each segment', async () => {
      const { fetch, calls } = fakeFetch(json(200, entry({})));
      await clientWith(fetch).client.getEntry(NS, 'config/db host/100%?#&ü');
      expect(calls[0].url).toBe(`http://gw:8080/api/v1/kv/${NS}/entries/config/db%20host/100%25%3F%23%26%C3%BC`);
      expect(encodeKeyPath('a/b/c')).toBe('a/b/c');
    });

    it('refuses a key with an empty, "." or ".." segment before any request, since the URL would address something else', async () => {
      const { fetch, calls } = fakeFetch(json(204, undefined));
      for (const key of ['../../namespaces/x', 'a/./b', 'a//b', '/a', 'a/']) {
        await expect(clientWith(fetch).client.deleteEntry(NS, key)).rejects.toBeInstanceOf(InvalidKeyPathError);
      }
      expect(calls).toHaveLength(0);
    });

    it('reads an old version with ?version', async () => {
      const { fetch, calls } = fakeFetch(json(200, entry({ version: 2 })));
      await clientWith(fetch).client.getEntry(NS, 'db/password', { version: 2 });
      expect(calls[0].url).toBe(`http://gw:8080/api/v1/kv/${NS}/entries/db/password?version=2`);
    });

    it("accepts the gateway's copy with maxAgeSeconds (Cache-Control: max-age), and asks for none by default", async () => {
      const { fetch, calls } = fakeFetch(json(200, entry({})), json(200, entry({})));
      await clientWith(fetch).client.getEntry(NS, 'config/mode', { maxAgeSeconds: 30 });
      await clientWith(fetch).client.getEntry(NS, 'config/mode');
      expect(calls[0].headers['cache-control']).toBe('max-age=30');
      expect(calls[1].headers['cache-control']).toBeUndefined();
    });

    it('puts a value with its inferred type, TTL, metadata, expected version and If-Match; tells created from replaced', async () => {
      const { fetch, calls } = fakeFetch(
        json(201, entry({ value: 5432, valueType: 'NUMBER' })),
        json(200, entry({ value: 1, valueType: 'NUMBER', version: 2 })),
      );
      const { client } = clientWith(fetch);
      const first = await client.putEntry(NS, 'db/port', 5432, { ttlSeconds: 60, metadata: { owner: 'x' }, expectedVersion: 0 });
      expect(first).toMatchObject({ created: true, entry: { value: 5432 } });
      expect(calls[0]).toMatchObject({
        method: 'PUT',
        body: { value: 5432, valueType: 'NUMBER', ttlSeconds: 60, metadata: { owner: 'x' }, expectedVersion: 0 },
      });
      expect((await client.putEntry(NS, 'db/port', 1, { ifMatch: '"1"' })).created).toBe(false);
      expect(calls[1].headers['if-match']).toBe('"1"');
    });

    it('sends bytes as BINARY base64', async () => {
      const { fetch, calls } = fakeFetch(json(200, { items: [entry({ key: 'b', value: 'AAH/', valueType: 'BINARY' })] }));
      const [stored] = await clientWith(fetch).client.bulkSet(NS, [{ key: 'b', value: new Uint8Array([0, 1, 255]) }]);
      expect(calls[0].body).toEqual({ entries: [{ key: 'b', value: 'AAH/', valueType: 'BINARY' }] });
      expect(stored.value).toEqual(new Uint8Array([0, 1, 255]));
    });

    it('rotates with a generated value, and rolls back with a reason', async () => {
      const { fetch, calls } = fakeFetch(json(200, entry({ version: 2 })), json(200, entry({ version: 3 })));
      const { client } = clientWith(fetch);
      await client.rotateSecret(NS, 'db/password', { length: 40, alphabet: 'hex', reason: 'quarterly' });
      await client.rollbackSecret(NS, 'db/password', 1, 'broke');
      expect(calls.map((call) => [call.method, call.url, call.body])).toEqual([
        ['POST', `http://gw:8080/api/v1/kv/${NS}/entries/db/password/rotate`, { length: 40, alphabet: 'hex', reason: 'quarterly' }],
        ['POST', `http://gw:8080/api/v1/kv/${NS}/entries/db/password/rollback`, { version: 1, reason: 'broke' }],
      ]);
    });
  });

  describe('values come back as their JSON type', () => {
    it.each([
      ['NUMBER', 42, 42],
      ['BOOLEAN', false, false],
      ['JSON', { a: [1, { b: null }] }, { a: [1, { b: null }] }],
      ['STRING', 'text', 'text'],
      ['DATE', '2024-05-01', '2024-05-01'],
      ['BINARY', 'aGVsbG8=', new Uint8Array(Buffer.from('hello'))],
      ['BINARY', '', new Uint8Array()],
    ])('%s %j', async (valueType, wire, expected) => {
      const { fetch } = fakeFetch(json(200, entry({ value: wire, valueType })));
      expect((await clientWith(fetch).client.getEntry(NS, 'k')).value).toEqual(expected);
    });
  });

  describe('errors', () => {
    it.each([
      [404, 'ENTRY_NOT_FOUND', KvNotFoundError],
      [409, 'VERSION_CONFLICT', KvConflictError],
      [401, 'UNAUTHENTICATED', KvAuthError],
      [403, 'FORBIDDEN', KvAuthError],
      [400, 'INVALID_KEY', KvApiError],
      [503, 'SERVICE_UNAVAILABLE', KvUnavailableError],
      [422, 'IDEMPOTENCY_KEY_REUSED', KvIdempotencyKeyReusedError],
    ])('%d %s is a %p with the status, code and message', async (status, code, ErrorClass) => {
      const { fetch } = fakeFetch(() => error(status, code, { 'x-request-id': 'req-1' }));
      const failure = await clientWith(fetch, 1)
        .client.getEntry(NS, 'k')
        .catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ErrorClass);
      expect(failure).toBeInstanceOf(KvApiError);
      expect(failure).toMatchObject({ statusCode: status, code, message: `${code.toLowerCase()} happened`, requestId: 'req-1' });
      expect((failure as KvApiError).isNotFound()).toBe(status === 404);
    });

    it('an answer not in the error shape still becomes a KvApiError', async () => {
      const { fetch } = fakeFetch(new Response('<html>bad gateway</html>', { status: 502 }));
      await expect(clientWith(fetch).client.verifyAudit()).rejects.toMatchObject({
        statusCode: 502,
        code: UNKNOWN_ERROR_CODE,
        message: 'HTTP 502',
      });
    });
  });

  describe('retries', () => {
    it('retries 503 and 429 with exponential backoff and jitter, then succeeds', async () => {
      const { fetch, calls } = fakeFetch(
        error(503, 'SERVICE_UNAVAILABLE'),
        error(429, 'RATE_LIMITED'),
        json(200, { ok: true, checked: 0, firstBrokenSequence: null, reason: null }),
      );
      const { client, sleeps } = clientWith(fetch);
      expect(await client.verifyAudit()).toMatchObject({ ok: true });
      expect(calls).toHaveLength(3);
      // random() is 0.5: half of 100 ms, then half of 200 ms.
      expect(sleeps).toEqual([50, 100]);
    });

    it('honours Retry-After, in seconds or as a date', async () => {
      const { fetch } = fakeFetch(error(429, 'RATE_LIMITED', { 'retry-after': '2' }), json(200, { items: [], nextCursor: null }));
      const { client, sleeps } = clientWith(fetch);
      await client.listNamespaces();
      expect(sleeps).toEqual([2000]);
      expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', () => Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
      expect(retryAfterMs('soon')).toBeNull();
      // Never longer than the configured ceiling.
      expect(retryDelayMs(1, '3600', { attempts: 3, baseDelayMs: 100, maxDelayMs: 5000 })).toBe(5000);
    });

    it('gives up after the configured attempts with the last error', async () => {
      const { fetch, calls } = fakeFetch(error(503, 'SERVICE_TIMEOUT'), error(503, 'SERVICE_TIMEOUT'), error(503, 'SERVICE_TIMEOUT'));
      await expect(clientWith(fetch, 3).client.listNamespaces()).rejects.toMatchObject({ statusCode: 503, code: 'SERVICE_TIMEOUT' });
      expect(calls).toHaveLength(3);
    });

    it('retries a write without a key only when it never reached a service, never after SERVICE_TIMEOUT', async () => {
      const send = (fetch: typeof globalThis.fetch) =>
        new Transport({ baseUrl: 'http://gw:8080', fetch, retry: { attempts: 5 }, sleep: async () => undefined }).send({
          method: 'POST',
          path: '/api/v1/kv/{nsId}/entries/{key}/rotate',
          params: { nsId: NS, key: 'db/password' },
          body: {},
        });
      const timedOut = fakeFetch(error(503, 'SERVICE_TIMEOUT'), json(200, {}));
      await expect(send(timedOut.fetch)).rejects.toMatchObject({ code: 'SERVICE_TIMEOUT' });
      expect(timedOut.calls).toHaveLength(1);
      expect(timedOut.calls[0].headers[IDEMPOTENCY_KEY_HEADER]).toBeUndefined();
      const unreached = fakeFetch(error(503, 'SERVICE_UNAVAILABLE'), json(200, entry({})));
      await send(unreached.fetch);
      expect(unreached.calls).toHaveLength(2);
    });

    it.each([400, 401, 403, 404, 409, 413, 500])('never retries %d', async (status) => {
      const { fetch, calls } = fakeFetch(error(status, 'X'), json(200, {}));
      await expect(clientWith(fetch, 5).client.listNamespaces()).rejects.toBeInstanceOf(KvApiError);
      expect(calls).toHaveLength(1);
    });

    it('the backoff doubles up to the ceiling', () => {
      const options = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
      expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, null, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    });
  });

  describe('idempotency keys', () => {
    it("every write sends a fresh Idempotency-Key, the gateway's header, in a form it accepts; reads send none", async () => {
      const { fetch, calls } = fakeFetch(
        ...Array.from({ length: 5 }, () => json(200, entry({}))),
        json(200, { items: [] }),
        json(200, { deleted: 1 }),
        json(200, entry({})),
        json(200, entry({})),
        json(200, { items: [], nextCursor: null }),
        json(200, { items: [], missing: [] }),
        json(200, entry({})),
      );
      const { client } = clientWith(fetch);
      const input = { applicationId: 'billing', name: 'config', isSecretNamespace: false };
      await client.createNamespace(input);
      await client.updateNamespace(NS, input);
      await client.deleteNamespace(NS);
      await client.putEntry(NS, 'k', 'v');
      await client.deleteEntry(NS, 'k');
      await client.bulkSet(NS, [{ key: 'k', value: 'v' }]);
      await client.bulkDelete(NS, ['k']);
      await client.rotateSecret(NS, 'k');
      await client.rollbackSecret(NS, 'k', 1);
      await client.listNamespaces();
      await client.bulkGet(NS, ['k']);
      await client.getEntry(NS, 'k');
      const keys = calls.map((call) => call.headers[IDEMPOTENCY_KEY_HEADER]);
      const writeKeys = keys.slice(0, 9);
      for (const key of writeKeys) expect(key).toMatch(UUID);
      expect(new Set(writeKeys).size).toBe(9);
      expect(keys.slice(9)).toEqual([undefined, undefined, undefined]);
      expect(IDEMPOTENCY_KEY_HEADER).toBe(GATEWAY_IDEMPOTENCY_KEY_HEADER);
      expect(parseIdempotencyKey(writeKeys[0]!)).toEqual({ key: writeKeys[0] });
    });

    it('retries a write with the same key after SERVICE_TIMEOUT, IDEMPOTENCY_KEY_IN_PROGRESS (after its Retry-After) and a broken connection', async () => {
      const { fetch, calls } = fakeFetch(
        error(503, 'SERVICE_TIMEOUT'),
        error(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', { 'retry-after': '1' }),
        brokenConnection,
        json(200, entry({ version: 2 })),
      );
      const { client, sleeps } = clientWith(fetch, 4);
      expect(await client.rotateSecret(NS, 'db/password', { length: 40 })).toMatchObject({ version: 2 });
      expect(calls).toHaveLength(4);
      expect(new Set(calls.map((call) => call.headers[IDEMPOTENCY_KEY_HEADER])).size).toBe(1);
      expect(calls.map((call) => call.body)).toEqual(Array.from({ length: 4 }, () => ({ length: 40 })));
      // Backoff with jitter (random() is 0.5), except where the gateway said when; a wait for a key in
      // progress spends no attempt, so the broken connection is the second attempt's.
      expect(sleeps).toEqual([50, 1000, 100]);
    });

    it('sends the key the caller gives, on every attempt, and never in the body', async () => {
      const { fetch, calls } = fakeFetch(brokenConnection, json(201, entry({})), json(204, undefined));
      const { client } = clientWith(fetch);
      await client.putEntry(NS, 'orders/42', 'paid', { idempotencyKey: 'order-42-paid' });
      await client.deleteNamespace(NS, { idempotencyKey: 'drop-billing' });
      expect(calls.map((call) => call.headers[IDEMPOTENCY_KEY_HEADER])).toEqual(['order-42-paid', 'order-42-paid', 'drop-billing']);
      expect(calls[0].body).toEqual({ value: 'paid', valueType: 'STRING' });
    });

    it("never retries IDEMPOTENCY_KEY_REUSED: the key is the caller's mistake, and the first outcome is not this request's", async () => {
      const { fetch, calls } = fakeFetch(error(422, 'IDEMPOTENCY_KEY_REUSED'), json(200, entry({})));
      const failure = await clientWith(fetch, 5)
        .client.rollbackSecret(NS, 'db/password', 1, undefined, { idempotencyKey: 'used-for-another' })
        .catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(KvIdempotencyKeyReusedError);
      expect(failure).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(calls).toHaveLength(1);
    });

    it('waits out IDEMPOTENCY_KEY_IN_PROGRESS 30 times without spending attempts, then gives up after the last one as a KvConflictError', async () => {
      const { fetch, calls } = fakeFetch(...Array.from({ length: 33 }, () => error(409, 'IDEMPOTENCY_KEY_IN_PROGRESS')));
      await expect(clientWith(fetch, 3).client.bulkDelete(NS, ['a'])).rejects.toBeInstanceOf(KvConflictError);
      expect(calls).toHaveLength(30 + 3);
    });

    it('a broken connection fails a read at once, as before, and a write after its last attempt', async () => {
      const read = fakeFetch(brokenConnection, json(200, entry({})));
      await expect(clientWith(read.fetch).client.getEntry(NS, 'k')).rejects.toThrow('fetch failed');
      expect(read.calls).toHaveLength(1);
      const write = fakeFetch(brokenConnection, brokenConnection);
      await expect(clientWith(write.fetch, 2).client.deleteEntry(NS, 'k')).rejects.toThrow('fetch failed');
      expect(write.calls).toHaveLength(2);
    });
  });

  describe('timeout', () => {
    it('abandons an attempt without an answer after timeoutMs: a read fails with KvTimeoutError, a write tries again with its key', async () => {
      const read = fakeFetch(noAnswer);
      const started = Date.now();
      const failure = await clientWith(read.fetch, 3, 50)
        .client.getEntry(NS, 'k')
        .catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(failure).toBeInstanceOf(KvTimeoutError);
      expect(failure).toMatchObject({ timeoutMs: 50, message: `no answer from http://gw:8080/api/v1/kv/${NS}/entries/k within 50 ms` });
      expect(read.calls).toHaveLength(1);

      const write = fakeFetch(noAnswer, json(200, { items: [] }));
      await clientWith(write.fetch, 3, 50).client.bulkSet(NS, []);
      expect(write.calls).toHaveLength(2);
      expect(write.calls[1].headers[IDEMPOTENCY_KEY_HEADER]).toBe(write.calls[0].headers[IDEMPOTENCY_KEY_HEADER]);
    });

    it('covers the body too, which can stall after the headers came', async () => {
      // As fetch does, the signal also ends the body's stream.
      const stalledBody = (init?: RequestInit) =>
        new Response(
          new ReadableStream({
            start: (controller) => {
              controller.enqueue(new TextEncoder().encode('{'));
              init!.signal!.addEventListener('abort', () => controller.error(init!.signal!.reason));
            },
          }),
        );
      const { fetch } = fakeFetch(stalledBody);
      await expect(clientWith(fetch, 1, 50).client.verifyAudit()).rejects.toBeInstanceOf(KvTimeoutError);
    });

    it.each([0, -1, 1.5, 2 ** 31, Infinity])('refuses timeoutMs %p', (timeoutMs) => {
      expect(() => new KvClient({ baseUrl: 'http://gw:8080', timeoutMs })).toThrow(/timeoutMs must be a whole number/);
    });
  });

  describe('pagination', () => {
    it('iterates every entry under a prefix, following the cursors', async () => {
      const { fetch, calls } = fakeFetch(
        json(200, { items: [entry({ keyPath: 'a/1' }), entry({ keyPath: 'a/2' })], nextCursor: 'c1' }),
        json(200, { items: [entry({ keyPath: 'a/3' })], nextCursor: null }),
      );
      const keys: string[] = [];
      for await (const item of clientWith(fetch).client.entries(NS, { prefix: 'a/', limit: 2 })) keys.push(item.keyPath);
      expect(keys).toEqual(['a/1', 'a/2', 'a/3']);
      expect(calls.map((call) => new URL(call.url).search)).toEqual(['?prefix=a%2F&limit=2', '?prefix=a%2F&limit=2&cursor=c1']);
    });

    it('lists keys without values, by level: `values=false` with the query, folders beside the keys, and the revision', async () => {
      const { value: _value, ...state } = entry({ keyPath: 'a/k' });
      const { fetch, calls } = fakeFetch(json(200, { items: [state], folders: ['a/f/'], nextCursor: 'c2' }, { 'x-kv-revision': '9' }));
      const page = await clientWith(fetch).client.listEntryKeys(NS, { prefix: 'a/', delimiter: '/', limit: 2 });
      expect(page).toEqual({ items: [state], folders: ['a/f/'], nextCursor: 'c2', revision: '9' });
      expect(calls[0].url).toBe(`http://gw:8080/api/v1/kv/${NS}/entries?prefix=a%2F&delimiter=%2F&limit=2&values=false`);
    });

    it("asks whoami for the token's principal", async () => {
      const answer = {
        userId: 'u',
        permissions: [],
        granted: [],
        applications: ['*'],
        expiresAt: '2030-01-01T00:00:00.000Z',
        expiresInSeconds: 5,
      };
      const { fetch, calls } = fakeFetch(json(200, answer));
      await expect(clientWith(fetch).client.whoami()).resolves.toEqual(answer);
      expect([calls[0].method, calls[0].url]).toEqual(['GET', 'http://gw:8080/api/v1/kv/whoami']);
    });

    it('iterates namespaces and audit records', async () => {
      const { fetch, calls } = fakeFetch(
        json(200, { items: [{ id: 'n1' }], nextCursor: 'x' }),
        json(200, { items: [{ id: 'n2' }], nextCursor: null }),
        json(200, { items: [{ id: 'r1' }], nextCursor: null }),
      );
      const { client } = clientWith(fetch);
      const namespaces = [];
      for await (const namespace of client.namespaces({ applicationId: 'billing' })) namespaces.push(namespace.id);
      const records = [];
      for await (const record of client.auditRecords({ action: 'WRITE', success: false })) records.push(record.id);
      expect([namespaces, records]).toEqual([['n1', 'n2'], ['r1']]);
      expect(calls[2].url).toBe('http://gw:8080/api/v1/kv/audit?action=WRITE&success=false');
    });
  });
});
