import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { call, platformState, tokenFor, uniqueName, useNamespace, useTokens } from './support/api';
import { eventually } from './support/workload';
import { anAdmin } from './support/principals';

/**
 * The defects issue 17 found by attacking the platform through its inputs, one test each: every one of
 * them answered 500, applied something, or leaked a credential before the fix.
 */
describe('hostile input', () => {
  const hostileAdmin = anAdmin({ id: 'hostile-admin' });
  const tokens = useTokens({ admin: hostileAdmin });
  const plain = useNamespace({ applicationId: uniqueName('hostile') }, hostileAdmin);
  const secret = useNamespace({ applicationId: uniqueName('hostile'), isSecretNamespace: true }, hostileAdmin);

  const json = (body: string) => ({ token: tokens.admin, rawBody: body, headers: { 'content-type': 'application/json' } });
  const listKeys = async (ns: string): Promise<string[]> =>
    ((await call('GET', `/${ns}/entries?limit=1000`, { token: tokens.admin })).body.items as Array<{ keyPath: string }>).map(
      (item) => item.keyPath,
    );

  function expectError(response: { status: number; body: any; headers: Headers }, status: number, code: string) {
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
    expect(response.body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String), code });
    expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
  }

  describe('lone surrogates and NUL', () => {
    it('refuses bulk/set keys with lone surrogates in either kind of namespace, storing nothing', async () => {
      for (const ns of [plain.id, secret.id]) {
        for (const key of ['u/\\ud800', 'u/\\udfff']) {
          const body = `{"entries":[{"key":"ok/1","value":1,"valueType":"NUMBER"},{"key":"${key}","value":1,"valueType":"NUMBER"}]}`;
          expectError(await call('POST', `/${ns}/bulk/set`, json(body)), 400, 'INVALID_KEY');
        }
        expect(await listKeys(ns)).toEqual([]);
      }
    });

    it.each([
      ['a STRING value', '{"value":"x\\ud800","valueType":"STRING"}'],
      ['a JSON value', '{"value":{"k\\udfff":1},"valueType":"JSON"}'],
      ['metadata', '{"value":"x","valueType":"STRING","metadata":{"m":"\\ud83d"}}'],
      ['metadata with NUL', '{"value":"x","valueType":"STRING","metadata":{"m":"\\u0000"}}'],
    ])('answers %s that breaks the text rule with INVALID_VALUE, in both kinds of namespace', async (_what, body) => {
      for (const ns of [plain.id, secret.id]) {
        expectError(await call('PUT', `/${ns}/entries/text/rule`, json(body)), 400, 'INVALID_VALUE');
        expect((await call('GET', `/${ns}/entries/text/rule`, { token: tokens.admin })).status).toBe(404);
      }
    });

    it('answers NUL in a prefix and in the audit filters with 400, never 500', async () => {
      expectError(await call('GET', `/${plain.id}/entries?prefix=a%00b`, { token: tokens.admin }), 400, 'INVALID_KEY');
      expectError(await call('GET', `/audit?keyPath=a%00b`, { token: tokens.admin }), 400, 'INVALID_KEY');
      expectError(await call('GET', `/audit?userId=a%00b`, { token: tokens.admin }), 400, 'INVALID_TEXT');
    });

    it('answers NUL in a description and in a rotate or rollback reason with INVALID_TEXT, changing nothing', async () => {
      const name = uniqueName('nul');
      const created = await call('POST', '/namespaces', json(`{"name":"${name}","applicationId":"nul-app","description":"a\\u0000b"}`));
      expectError(created, 400, 'INVALID_TEXT');
      expect((await call('GET', '/namespaces?applicationId=nul-app', { token: tokens.admin })).body.items).toEqual([]);

      expect(
        (await call('PUT', `/${secret.id}/entries/reasoned`, { token: tokens.admin, body: { value: 'v1', valueType: 'STRING' } })).status,
      ).toBe(201);
      expectError(await call('POST', `/${secret.id}/entries/reasoned/rotate`, json('{"reason":"why\\u0000"}')), 400, 'INVALID_TEXT');
      expectError(
        await call('POST', `/${secret.id}/entries/reasoned/rollback`, json('{"version":1,"reason":"\\ud800"}')),
        400,
        'INVALID_TEXT',
      );
      expect((await call('GET', `/${secret.id}/entries/reasoned`, { token: tokens.admin })).body.version).toBe(1);
    });

    it('answers a signed token whose claims break the text rule with 401', async () => {
      const key = new TextEncoder().encode(platformState().jwtSecret);
      for (const claims of [
        { sub: 'nul\u0000sub', permissions: ['*'], apps: ['*'] },
        { sub: 'lone\ud800', permissions: ['*'], apps: ['*'] },
        { sub: 'odd-apps', permissions: ['*'], apps: ['billing\u0000'] },
      ]) {
        const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key);
        expectError(await call('GET', '/namespaces', { token }), 401, 'UNAUTHENTICATED');
      }
    });
  });

  it('answers JSON nested 1,500 deep with 400 on every route with a body', async () => {
    const deep = `${'['.repeat(1500)}${']'.repeat(1500)}`;
    const routes: Array<[string, string]> = [
      ['POST', '/namespaces'],
      ['PUT', `/namespaces/${plain.id}`],
      ['PUT', `/${plain.id}/entries/deep`],
      ['PUT', `/${secret.id}/entries/deep`],
      ['POST', `/${plain.id}/bulk/get`],
      ['POST', `/${plain.id}/bulk/set`],
      ['POST', `/${plain.id}/bulk/delete`],
      ['POST', `/${secret.id}/entries/deep/rotate`],
      ['POST', `/${secret.id}/entries/deep/rollback`],
    ];
    for (const [method, path] of routes) {
      expectError(await call(method, path, json(`{"value":${deep},"valueType":"JSON"}`)), 400, 'VALIDATION_FAILED');
    }
    // 64 levels in all is allowed: the body and 63 inside it.
    const deepest = `${'['.repeat(63)}1${']'.repeat(63)}`;
    expect((await call('PUT', `/${plain.id}/entries/deep`, json(`{"value":${deepest},"valueType":"JSON"}`))).status).toBe(201);
    expectError(
      await call('PUT', `/${plain.id}/entries/deep`, json(`{"value":[${deepest}],"valueType":"JSON"}`)),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers form-encoded and other non-JSON bodies with 415, applying nothing', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const attempts: Array<[string, string, string]> = [
      ['PUT', `/${plain.id}/entries/form`, 'value=x&valueType=STRING'],
      ['PUT', `/${secret.id}/entries/form`, 'value=x&valueType=STRING'],
      ['POST', `/${secret.id}/entries/reasoned/rotate`, 'value=x&valueType=STRING'],
      ['POST', '/namespaces', `name=${uniqueName('form')}&applicationId=form-app`],
    ];
    for (const [method, path, rawBody] of attempts) {
      expectError(await call(method, path, { token: tokens.admin, rawBody, headers: form }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    for (const type of ['text/plain', 'application/jsonx', 'multipart/form-data; boundary=x']) {
      const response = await call('PUT', `/${plain.id}/entries/form`, {
        token: tokens.admin,
        rawBody: '{"value":"x","valueType":"STRING"}',
        headers: { 'content-type': type },
      });
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expect((await call('GET', `/${plain.id}/entries/form`, { token: tokens.admin })).status).toBe(404);
    expect((await call('GET', `/${secret.id}/entries/form`, { token: tokens.admin })).status).toBe(404);
    expect((await call('GET', `/${secret.id}/entries/reasoned`, { token: tokens.admin })).body.version).toBe(1);
    expect((await call('GET', '/namespaces?applicationId=form-app', { token: tokens.admin })).body.items).toEqual([]);
    // With a charset, JSON is JSON.
    const charset = {
      token: tokens.admin,
      rawBody: '{"value":"x","valueType":"STRING"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    };
    expect((await call('PUT', `/${plain.id}/entries/form`, charset)).status).toBe(201);
  });

  it('refuses object keys that would be misread (constructor, __proto__), in a body or a value, storing nothing', async () => {
    for (const ns of [plain.id, secret.id]) {
      for (const body of [
        '{"value":{"ok":1,"constructor":{"polluted":true}},"valueType":"JSON"}',
        '{"value":{"list":[{"constructor":1}]},"valueType":"JSON"}',
        '{"value":"x","valueType":"STRING","metadata":{"__proto__":{"admin":true}}}',
        '{"value":"x","valueType":"STRING","constructor":{"x":1}}',
      ]) {
        expectError(await call('PUT', `/${ns}/entries/proto/keys`, json(body)), 400, 'VALIDATION_FAILED');
      }
      expect((await call('GET', `/${ns}/entries/proto/keys`, { token: tokens.admin })).status).toBe(404);
    }
    expectError(
      await call('POST', `/${secret.id}/entries/reasoned/rollback`, json('{"version":1,"constructor":{"polluted":true}}')),
      400,
      'VALIDATION_FAILED',
    );
    // A key that merely contains the word is data like any other.
    const value = { constructors: ['a'], my_prototype: 1 };
    expect((await call('PUT', `/${plain.id}/entries/proto/fine`, { token: tokens.admin, body: { value, valueType: 'JSON' } })).status).toBe(
      201,
    );
    expect((await call('GET', `/${plain.id}/entries/proto/fine`, { token: tokens.admin })).body.value).toEqual(value);
  });

  it('refuses numbers JSON cannot carry back, and a charset other than UTF-8, storing nothing', async () => {
    for (const ns of [plain.id, secret.id]) {
      expectError(
        await call('PUT', `/${ns}/entries/numbers`, json('{"value":{"a":1e400,"b":[-1e999]},"valueType":"JSON"}')),
        400,
        'INVALID_VALUE',
      );
      expectError(
        await call('PUT', `/${ns}/entries/numbers`, json('{"value":"x","valueType":"STRING","metadata":{"m":1e400}}')),
        400,
        'INVALID_VALUE',
      );
      expect((await call('GET', `/${ns}/entries/numbers`, { token: tokens.admin })).status).toBe(404);
    }
    const utf16 = {
      token: tokens.admin,
      rawBody: '{"value":"x","valueType":"STRING"}',
      headers: { 'content-type': 'application/json; charset=utf-16' },
    };
    expectError(await call('PUT', `/${plain.id}/entries/numbers`, utf16), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a query string that is not valid UTF-8, and a forged cursor, with 400', async () => {
    for (const query of ['prefix=%ED%A0%80', 'prefix=%FF', 'prefix=%ZZ', 'prefix=%C0%AE']) {
      expectError(await call('GET', `/${plain.id}/entries?${query}`, { token: tokens.admin }), 400, 'VALIDATION_FAILED');
    }
    expectError(await call('GET', `/audit?userId=%ED%A0%80`, { token: tokens.admin }), 400, 'VALIDATION_FAILED');
    // A cursor whose position holds U+0000, which no key can.
    expectError(await call('GET', `/${plain.id}/entries?cursor=WyJcdTAwMDAiXQ`, { token: tokens.admin }), 400, 'INVALID_CURSOR');
    expect((await call('GET', `/${plain.id}/entries?prefix=%E4%B8%AD`, { token: tokens.admin })).status).toBe(200);
  });

  it('accepts a signed token in its canonical spelling only', async () => {
    const token = await tokenFor(anAdmin({ id: 'spelling' }));
    expect((await call('GET', '/namespaces', { token })).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [
      `${token}=`,
      `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64').replace(/=+$/, '')}`,
      `${header}.${payload}.${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]}`,
    ].filter((variant) => variant !== token);
    expect(variants.length).toBeGreaterThanOrEqual(2);
    for (const variant of variants) expectError(await call('GET', '/namespaces', { token: variant }), 401, 'UNAUTHENTICATED');
  });

  it('answers what the HTTP server refuses before the API in the error shape, with a request id', async () => {
    expectError(
      await call('GET', '/namespaces', { token: tokens.admin, headers: { 'x-padding': 'a'.repeat(20_000) } }),
      431,
      'HEADERS_TOO_LARGE',
    );
    expectError(await call('GET', '/no/such/route/here', { token: tokens.admin }), 404, 'ROUTE_NOT_FOUND');
    expectError(await call('POST', '/namespaces', json('{"name":')), 400, 'VALIDATION_FAILED');
    // Over KV_MAX_BODY_BYTES (16 MiB by default): the gateway answers on the length alone, before the body,
    // so only the headers are sent (a client still writing would meet a closed socket).
    const { port } = new URL(platformState().gatewayUrl);
    const tooLarge = await new Promise<{ status: number; requestId: unknown; body: any }>((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/api/v1/kv/${plain.id}/entries/huge`,
          headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', 'content-length': 17 * 1024 * 1024 },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, requestId: response.headers['x-request-id'], body: JSON.parse(text) }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.flushHeaders();
    });
    expect(tooLarge).toEqual({
      status: 413,
      requestId: expect.any(String),
      body: expect.objectContaining({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' }),
    });
  });

  it('answers a body that is no object, and a bulk entry that is no object, with VALIDATION_FAILED, applying nothing', async () => {
    for (const body of ['null', '"a"', '5', '[]']) {
      expectError(await call('POST', `/${secret.id}/entries/reasoned/rotate`, json(body)), 400, 'VALIDATION_FAILED');
    }
    expect((await call('GET', `/${secret.id}/entries/reasoned`, { token: tokens.admin })).body.version).toBe(1);
    expectError(await call('POST', `/${plain.id}/bulk/set`, json('{"entries":[[]]}')), 400, 'VALIDATION_FAILED');
  });

  it('answers an HTTP/1.1 request without Host in the error shape, with a request id', async () => {
    const { port } = new URL(platformState().gatewayUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('GET /api/v1/kv/namespaces HTTP/1.1\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\nx-request-id: \S+\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it.each(['{}', '"a"', 'null', '[]', '{"keys":"a"}'])('answers the malformed bulk body %s with VALIDATION_FAILED', async (body) => {
    for (const route of ['bulk/get', 'bulk/delete', 'bulk/set']) {
      expectError(await call('POST', `/${plain.id}/${route}`, json(body)), 400, 'VALIDATION_FAILED');
    }
  });

  it('answers If-None-Match with the current ETag with 304 and no body, and records the read', async () => {
    for (const ns of [plain.id, secret.id]) {
      expect(
        (await call('PUT', `/${ns}/entries/etag/me`, { token: tokens.admin, body: { value: 'planted-etag-value', valueType: 'STRING' } }))
          .status,
      ).toBe(201);
      const requestId = `etag-${uniqueName('rid')}`;
      const unchanged = await call('GET', `/${ns}/entries/etag/me`, {
        token: tokens.admin,
        headers: { 'if-none-match': '"1"', 'x-request-id': requestId },
      });
      expect(unchanged.status).toBe(304);
      expect(unchanged.body).toBeUndefined();
      expect(unchanged.headers.get('etag')).toBe('"1"');
      expect((await call('GET', `/${ns}/entries/etag/me`, { token: tokens.admin, headers: { 'if-none-match': '"2"' } })).status).toBe(200);
      const recorded = async () =>
        (
          (await call('GET', `/audit?namespaceId=${ns}&action=READ&limit=1000`, { token: tokens.admin })).body.items as Array<{
            requestId: string;
          }>
        ).some((record) => record.requestId === requestId);
      expect(await eventually(recorded, 5000)).toBe(true);
    }
  });

  it('never writes a token sent in the query string into any log', async () => {
    const token = await tokenFor(anAdmin({ id: 'query-token' }));
    for (const name of ['access_token', 'token', 'jwt']) {
      expectError(await call('GET', `/namespaces?${name}=${token}`), 401, 'UNAUTHENTICATED');
    }
    const { logDir } = platformState();
    // The gateway logs the request once it is answered.
    await eventually(async () => readFileSync(join(logDir, 'gateway.log'), 'utf8').includes('access_token=[redacted]'), 5000);
    const [, , signature] = token.split('.') as [string, string, string];
    for (const file of readdirSync(logDir)) {
      const log = readFileSync(join(logDir, file), 'utf8');
      expect({ file, leaked: log.includes(signature) }).toEqual({ file, leaked: false });
    }
    expect(readFileSync(join(logDir, 'gateway.log'), 'utf8')).toContain('access_token=[redacted]');
  });

  it('binds the unauthenticated health and metrics ports to loopback, the public port to every interface', () => {
    const { gatewayUrl, metricsUrls } = platformState();
    const listening = listeningAddresses();
    for (const url of Object.values(metricsUrls)) {
      expect({ url, addresses: listening.get(Number(new URL(url).port)) }).toEqual({ url, addresses: ['127.0.0.1'] });
    }
    expect(listening.get(Number(new URL(gatewayUrl).port))).toEqual(['0.0.0.0']);
  });
});

/** Listening TCP sockets by port, with their local addresses, from the kernel's own table (IPv4). */
function listeningAddresses(): Map<number, string[]> {
  const listening = new Map<number, string[]>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (state !== '0A' || !local) continue;
    const [hexAddress, hexPort] = local.split(':') as [string, string];
    const address = (hexAddress.match(/../g) ?? [])
      .reverse()
      .map((byte) => parseInt(byte, 16))
      .join('.');
    const port = parseInt(hexPort, 16);
    listening.set(port, [...(listening.get(port) ?? []), address]);
  }
  return listening;
}
