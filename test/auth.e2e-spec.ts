import { SignJWT } from 'jose';
import { ALL_PERMISSIONS, Permission } from '@app/permissions';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { TestPlatform } from './support/test-platform';
import { anAdmin, aPrincipal, scopedTo, signedToken } from './support/principals';

const secretKey = () => new TextEncoder().encode(platformState().jwtSecret);

describe('authentication', () => {
  const claims = { permissions: ['*'], apps: ['*'] };

  async function expectUnauthenticated(headers: Record<string, string>) {
    const response = await call('GET', '/namespaces', { headers });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHENTICATED' });
    return response;
  }

  it('refuses a call without a token', () => expectUnauthenticated({}));
  it('refuses a non-bearer authorization', () => expectUnauthenticated({ authorization: 'Basic dXNlcjpwYXNz' }));
  it('refuses a malformed token', () => expectUnauthenticated({ authorization: 'Bearer not.a.jwt' }));

  it('refuses a token signed with another key, and never echoes the token', async () => {
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    const response = await expectUnauthenticated({ authorization: `Bearer ${forged}` });
    expect(JSON.stringify(response.body)).not.toContain(forged);
  });

  it('refuses an expired token', async () => {
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('late')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secretKey());
    await expectUnauthenticated({ authorization: `Bearer ${expired}` });
  });

  it('refuses a token without exp', async () => {
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('forever').sign(secretKey());
    await expectUnauthenticated({ authorization: `Bearer ${forever}` });
  });

  it('refuses alg "none"', async () => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, sub: 'eve', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    await expectUnauthenticated({ authorization: `Bearer ${unsigned}` });
  });

  it('refuses a token whose claims are missing or mistyped', async () => {
    for (const payload of [{ permissions: ['*'] }, { apps: ['*'] }, { permissions: '*', apps: ['*'] }]) {
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('odd')
        .setExpirationTime('1h')
        .sign(secretKey());
      await expectUnauthenticated({ authorization: `Bearer ${token}` });
    }
  });

  it('lets health through without a token', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200);
  });
});

describe('authorization: every route, allowed and denied', () => {
  let admin: string;
  let applicationId: string;
  let ns: string;

  beforeAll(async () => {
    admin = await tokenFor();
    applicationId = uniqueName('app');
    ns = (await createNamespace(admin, { applicationId })).id;
    await call('POST', `/${ns}/bulk/set`, {
      token: admin,
      body: { entries: ['k', 'k2', 'k3'].map((key) => ({ key, value: key, valueType: 'STRING' })) },
    });
  });

  interface RouteCase {
    name: string;
    needs: Permission[];
    request: () => { method: string; path: string; body?: unknown };
    okStatus: number;
    namespaceScoped: boolean;
  }

  const routes: RouteCase[] = [
    {
      name: 'list namespaces',
      needs: [Permission.NamespaceRead],
      request: () => ({ method: 'GET', path: `/namespaces?applicationId=${applicationId}` }),
      okStatus: 200,
      namespaceScoped: false,
    },
    {
      name: 'get namespace',
      needs: [Permission.NamespaceRead],
      request: () => ({ method: 'GET', path: `/namespaces/${ns}` }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'create namespace',
      needs: [Permission.NamespaceWrite],
      request: () => ({ method: 'POST', path: '/namespaces', body: { name: uniqueName('n'), applicationId } }),
      okStatus: 201,
      namespaceScoped: false,
    },
    {
      name: 'update namespace',
      needs: [Permission.NamespaceWrite],
      request: () => ({ method: 'PUT', path: `/namespaces/${ns}`, body: { name: 'same-name', applicationId } }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'list entries',
      needs: [Permission.NamespaceRead, Permission.EntryRead],
      request: () => ({ method: 'GET', path: `/${ns}/entries` }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'get entry',
      needs: [Permission.EntryRead],
      request: () => ({ method: 'GET', path: `/${ns}/entries/k` }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'put entry',
      needs: [Permission.EntryWrite],
      request: () => ({ method: 'PUT', path: `/${ns}/entries/k`, body: { value: 'v', valueType: 'STRING' } }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'bulk get',
      needs: [Permission.EntryRead],
      request: () => ({ method: 'POST', path: `/${ns}/bulk/get`, body: { keys: ['k'] } }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'bulk set',
      needs: [Permission.EntryWrite],
      request: () => ({ method: 'POST', path: `/${ns}/bulk/set`, body: { entries: [{ key: 'k2', value: 'v', valueType: 'STRING' }] } }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'bulk delete',
      needs: [Permission.EntryDelete],
      request: () => ({ method: 'POST', path: `/${ns}/bulk/delete`, body: { keys: ['k3', 'gone'] } }),
      okStatus: 200,
      namespaceScoped: true,
    },
    {
      name: 'delete entry',
      needs: [Permission.EntryDelete],
      request: () => ({ method: 'DELETE', path: `/${ns}/entries/k2` }),
      okStatus: 204,
      namespaceScoped: true,
    },
  ];

  const send = async (token: string, route: RouteCase) => {
    const { method, path, body } = route.request();
    return call(method, path, { token, body });
  };

  describe.each(routes.map((route) => [route.name, route] as const))('%s', (_name, route) => {
    it('is denied with 403 FORBIDDEN naming the permission when one is missing', async () => {
      for (const missing of route.needs) {
        const lacking = ALL_PERMISSIONS.filter((permission) => permission !== missing);
        const token = await tokenFor(aPrincipal(lacking, { id: 'lacks-one', applications: [applicationId] }));
        const response = await send(token, route);
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN' });
        expect(response.body.message).toContain(missing);
      }
    });

    it('is allowed with exactly the permissions it needs', async () => {
      const token = await tokenFor(aPrincipal(route.needs, { id: 'has-exactly', applications: [applicationId] }));
      const response = await send(token, route);
      expect(response.status).toBe(route.okStatus);
    });

    if (route.namespaceScoped) {
      it('answers 404 NAMESPACE_NOT_FOUND for a namespace of an application the caller may not touch', async () => {
        const token = await tokenFor(anAdmin({ id: 'other-app', applications: [uniqueName('other-app')] }));
        const response = await send(token, route);
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('NAMESPACE_NOT_FOUND');
      });
    }
  });

  it('deletes a namespace with kv-namespace:delete only, and not without it', async () => {
    const doomed = (await createNamespace(admin, { applicationId })).id;
    const allButDelete = ALL_PERMISSIONS.filter((permission) => permission !== Permission.NamespaceDelete);
    const without = await tokenFor(aPrincipal(allButDelete, { applications: [applicationId] }));
    const denied = await call('DELETE', `/namespaces/${doomed}`, { token: without });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(Permission.NamespaceDelete);
    const outsider = await tokenFor(anAdmin({ applications: ['elsewhere'] }));
    expect((await call('DELETE', `/namespaces/${doomed}`, { token: outsider })).status).toBe(404);
    const allowed = await tokenFor(aPrincipal([Permission.NamespaceDelete], { applications: [applicationId] }));
    expect((await call('DELETE', `/namespaces/${doomed}`, { token: allowed })).status).toBe(204);
  });

  it('cannot create a namespace in an application it may not touch', async () => {
    const token = await tokenFor(aPrincipal([Permission.NamespaceWrite], { applications: [applicationId] }));
    const response = await call('POST', '/namespaces', { token, body: { name: 'intruder', applicationId: uniqueName('foreign') } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it("lists only the namespaces of the caller's applications", async () => {
    const mine = uniqueName('mine');
    const theirs = uniqueName('theirs');
    const own = await createNamespace(admin, { applicationId: mine });
    await createNamespace(admin, { applicationId: theirs });
    const token = await tokenFor(aPrincipal([Permission.NamespaceRead], { applications: [mine] }));
    const all = await call('GET', '/namespaces?limit=1000', { token });
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([own.id]);
    const filtered = await call('GET', `/namespaces?applicationId=${theirs}`, { token });
    expect(filtered.body.items).toEqual([]);
  });

  it('a namespace-scoped grant covers that namespace and no other', async () => {
    const other = (await createNamespace(admin, { applicationId })).id;
    await call('PUT', `/${other}/entries/k`, { token: admin, body: { value: 'other', valueType: 'STRING' } });
    const token = await tokenFor(scopedTo(ns, ['kv-entry:read'], { id: 'scoped-reader', applications: [applicationId] }));
    expect((await call('GET', `/${ns}/entries/k`, { token })).status).toBe(200);
    const elsewhere = await call('GET', `/${other}/entries/k`, { token });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('FORBIDDEN');
    expect((await call('PUT', `/${ns}/entries/k`, { token, body: { value: 'x', valueType: 'STRING' } })).status).toBe(403);
  });

  it('a resource wildcard grants that resource only', async () => {
    const token = await tokenFor(aPrincipal(['kv-entry:*'], { applications: [applicationId] }));
    expect((await call('GET', `/${ns}/entries/k`, { token })).status).toBe(200);
    expect((await call('PUT', `/${ns}/entries/wild`, { token, body: { value: 1, valueType: 'NUMBER' } })).status).toBe(201);
    const namespaceRead = await call('GET', `/namespaces/${ns}`, { token });
    expect(namespaceRead.status).toBe(403);
  });

  it('an unknown permission grants nothing', async () => {
    const token = await tokenFor(aPrincipal(['kv-entry:everything', 'kv-entry:read@'], { applications: [applicationId] }));
    expect((await call('GET', `/${ns}/entries/k`, { token })).status).toBe(403);
  });
});

describe('rate limiting', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start({ KV_RATE_LIMIT_REQUESTS: '5', KV_RATE_LIMIT_WINDOW_SECONDS: '60' });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, per principal', async () => {
    const base = platform.state.gatewayUrl;
    const token = (sub: string) => signedToken(anAdmin({ id: sub }), platform.state.jwtSecret, 600);
    const busy = await token('busy-service');
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i++) {
      const response = await call('GET', '/namespaces', { baseUrl: base, token: busy });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(limited?.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);

    const calm = await token('calm-service');
    expect((await call('GET', '/namespaces', { baseUrl: base, token: calm })).status).toBe(200);
  }, 60_000);
});
