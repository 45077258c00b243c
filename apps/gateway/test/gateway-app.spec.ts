import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EntryPattern, ErrorCode, NamespacePattern } from '@app/contracts';
import { IS_PUBLIC_KEY, PERMISSION_REQUIREMENT_KEY, PermissionRequirement } from '../src/auth/auth.decorators';
import { bootGateway, mintTestToken } from './support/boot-gateway';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const entry = (key: string, version = 1) => ({
  id: '00000000-0000-4000-8000-000000000001', namespaceId: NS, keyPath: key, value: 'v', valueType: 'STRING', version,
  metadata: null, expiresAt: null, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z',
});

interface RouteInfo {
  method: string;
  path: string;
  isPublic: boolean;
  requirement?: PermissionRequirement;
  excludedFromDocs: boolean;
}

function joinPath(...parts: string[]): string {
  return `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;
}

/** Every route Nest registered, from the controllers' metadata, with its declarations. */
function nestRoutes(app: NestFastifyApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) continue;
    const controllerPath = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const excludedFromDocs = Boolean(Reflect.getMetadata('swagger/apiExcludeController', controller)?.[0]);
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (methodPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      routes.push({
        method,
        path: joinPath('api/v1/kv', controllerPath, methodPath),
        isPublic: Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller])),
        requirement: reflector.getAllAndOverride<PermissionRequirement>(PERMISSION_REQUIREMENT_KEY, [handler, controller]),
        excludedFromDocs,
      });
    }
  }
  return routes;
}

/** A concrete URL for a route pattern. */
function sampleUrl(path: string): string {
  return path.replace(':nsId', NS).replace(/\*$/, 'some/key');
}

describe('gateway (in-process, broker mocked)', () => {
  let app: NestFastifyApplication;
  let send: jest.Mock;
  let fastifyRoutes: string[];
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    ({ app, send, fastifyRoutes } = await bootGateway({ KV_MAX_VALUE_BYTES: '2048', KV_MAX_BODY_BYTES: '8192' }));
    reader = await mintTestToken({ permissions: ['kv-namespace:read', 'kv-entry:read'] });
    writer = await mintTestToken({ permissions: ['kv-entry:*', 'kv-namespace:*'], applications: ['billing'] });
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => send.mockReset());

  const inject = (options: { method?: string; url: string; token?: string; headers?: Record<string, string>; payload?: unknown }) =>
    app.inject({
      method: (options.method ?? 'GET') as 'GET',
      url: options.url,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload as object }),
    });

  describe('route declarations', () => {
    it('finds the routes of every controller', () => {
      const routes = nestRoutes(app).map((route) => `${route.method} ${route.path}`);
      expect(routes).toEqual(
        expect.arrayContaining([
          'GET /api/v1/kv/health/live',
          'GET /api/v1/kv/namespaces',
          'POST /api/v1/kv/namespaces',
          'DELETE /api/v1/kv/namespaces/:nsId',
          'GET /api/v1/kv/:nsId/entries',
          'PUT /api/v1/kv/:nsId/entries/*',
          'POST /api/v1/kv/:nsId/bulk/set',
        ]),
      );
      expect(routes).toHaveLength(14);
    });

    it('the scan sees every route Fastify serves, apart from the Swagger documents', () => {
      const scanned = nestRoutes(app).map((route) => `${route.method} ${route.path}`);
      const swagger = [
        'GET /api/v1/kv/openapi.json',
        'GET /api/v1/kv/swagger-ui',
        'GET /api/v1/kv/swagger-ui/swagger-ui-init.js',
        'GET /api/v1/kv/swagger-ui/:asset',
      ];
      expect([...fastifyRoutes].sort()).toEqual([...scanned, ...swagger].sort());
    });

    it('every non-public route declares at least one permission', () => {
      const undeclared = nestRoutes(app).filter((route) => !route.isPublic && !(route.requirement?.permissions.length ?? 0));
      expect(undeclared.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    });

    it('only health is public', () => {
      const publicRoutes = nestRoutes(app).filter((route) => route.isPublic).map((route) => `${route.method} ${route.path}`);
      expect(publicRoutes.sort()).toEqual(['GET /api/v1/kv/health/live', 'GET /api/v1/kv/health/ready']);
    });

    it('every non-public route answers 401 without a token', async () => {
      for (const route of nestRoutes(app).filter((candidate) => !candidate.isPublic)) {
        const response = await inject({ method: route.method, url: sampleUrl(route.path), payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
        expect({ route: `${route.method} ${route.path}`, status: response.statusCode }).toEqual({ route: `${route.method} ${route.path}`, status: 401 });
      }
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe('authentication and permissions', () => {
    it('401 UNAUTHENTICATED without a token', async () => {
      const response = await inject({ url: '/api/v1/kv/namespaces' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'missing bearer token', code: ErrorCode.UNAUTHENTICATED });
    });

    it('401 with a token signed by another key, without echoing the token', async () => {
      const forged = await mintTestToken({ permissions: ['*'] }, 'another-secret-another-secret-another-1');
      const response = await inject({ url: '/api/v1/kv/namespaces', token: forged });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe(ErrorCode.UNAUTHENTICATED);
      expect(response.body).not.toContain(forged);
    });

    it('401 with a malformed Authorization header', async () => {
      const response = await inject({ url: '/api/v1/kv/namespaces', headers: { authorization: 'Basic abc' } });
      expect(response.statusCode).toBe(401);
    });

    it('403 FORBIDDEN naming the missing permission', async () => {
      const response = await inject({ method: 'DELETE', url: `/api/v1/kv/namespaces/${NS}`, token: reader });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:delete' });
      expect(send).not.toHaveBeenCalled();
    });

    it('403 when creating a namespace in an application the caller cannot access', async () => {
      const response = await inject({ method: 'POST', url: '/api/v1/kv/namespaces', token: writer, payload: { name: 'n', applicationId: 'payroll' } });
      expect(response.statusCode).toBe(403);
      expect(send).not.toHaveBeenCalled();
    });

    it('a namespace-scoped grant opens that namespace only', async () => {
      const scoped = await mintTestToken({ permissions: [`kv-entry:read@${NS}`] });
      send.mockResolvedValue(entry('k'));
      expect((await inject({ url: `/api/v1/kv/${NS}/entries/k`, token: scoped })).statusCode).toBe(200);
      const other = '11111111-2222-4333-8444-555555555555';
      expect((await inject({ url: `/api/v1/kv/${other}/entries/k`, token: scoped })).statusCode).toBe(403);
    });

    it('health is public', async () => {
      const response = await inject({ url: '/api/v1/kv/health/live' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });
  });

  describe('forwarding', () => {
    it('forwards the actor, request id and client address with each message', async () => {
      send.mockResolvedValue({ items: [], nextCursor: null });
      const response = await inject({ url: '/api/v1/kv/namespaces?applicationId=billing&limit=5', token: reader, headers: { 'x-request-id': 'trace-1' } });
      expect(response.statusCode).toBe(200);
      expect(send).toHaveBeenCalledWith(NamespacePattern.LIST, {
        actor: { id: 'alice', permissions: ['kv-namespace:read', 'kv-entry:read'], applications: ['*'] },
        requestId: 'trace-1',
        clientAddress: '127.0.0.1',
        query: expect.objectContaining({ applicationId: 'billing', limit: 5 }),
      });
    });

    it('201 with the namespace on creation', async () => {
      send.mockResolvedValue({ id: NS, name: 'n' });
      const response = await inject({ method: 'POST', url: '/api/v1/kv/namespaces', token: writer, payload: { name: 'n', applicationId: 'billing' } });
      expect(response.statusCode).toBe(201);
      expect(send).toHaveBeenCalledWith(NamespacePattern.CREATE, expect.objectContaining({ body: { name: 'n', applicationId: 'billing' } }));
    });

    it('decodes the key exactly once', async () => {
      send.mockResolvedValue(entry('x'));
      await inject({ url: `/api/v1/kv/${NS}/entries/a%2Fb/c%252Fd/%E2%82%AC%20x?ignored=1`, token: reader });
      expect(send).toHaveBeenCalledWith(EntryPattern.GET, expect.objectContaining({ namespaceId: NS, key: 'a/b/c%2Fd/€ x' }));
    });

    it('PUT answers 201 when created, 200 when replaced, with the version as ETag', async () => {
      send.mockResolvedValueOnce({ entry: entry('k', 1), created: true }).mockResolvedValueOnce({ entry: entry('k', 2), created: false });
      const put = () => inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'v', valueType: 'STRING' } });
      const first = await put();
      const second = await put();
      expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
      expect(second.headers.etag).toBe('"2"');
      expect(second.json()).toMatchObject({ keyPath: 'k', version: 2 });
    });

    it('takes If-Match as the expected version, and refuses it when the body disagrees', async () => {
      send.mockResolvedValue({ entry: entry('k', 4), created: false });
      const ok = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, headers: { 'if-match': '"3"' }, payload: { value: 'v', valueType: 'STRING' } });
      expect(ok.statusCode).toBe(200);
      expect(send).toHaveBeenCalledWith(EntryPattern.PUT, expect.objectContaining({ body: expect.objectContaining({ expectedVersion: 3 }) }));
      const conflict = await inject({
        method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, headers: { 'if-match': '3' }, payload: { value: 'v', valueType: 'STRING', expectedVersion: 2 },
      });
      expect(conflict.statusCode).toBe(400);
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('DELETE answers 204 with no body', async () => {
      send.mockResolvedValue(undefined);
      const response = await inject({ method: 'DELETE', url: `/api/v1/kv/${NS}/entries/k`, token: writer });
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
    });

    it('maps a service error code to its status', async () => {
      const { KvException } = await import('@app/contracts');
      send.mockRejectedValue(new KvException(ErrorCode.VERSION_CONFLICT, 'version is 5'));
      const response = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'v', valueType: 'STRING' } });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'version is 5', code: ErrorCode.VERSION_CONFLICT });
    });

    it('answers 500 with an error id only for an unexpected error', async () => {
      send.mockRejectedValue(new Error('secret detail'));
      const response = await inject({ url: `/api/v1/kv/${NS}/entries/k`, token: reader });
      expect(response.statusCode).toBe(500);
      expect(response.json().message).toMatch(/^internal error \(errorId [0-9a-f-]{36}\)$/);
      expect(response.body).not.toContain('secret detail');
    });
  });

  describe('input refused before any broker call', () => {
    afterEach(() => expect(send).not.toHaveBeenCalled());

    it.each([
      ['an empty segment', 'a//b'],
      ['a dot segment (clients resolve a literal ".." themselves)', 'a/..%2Fb'],
      ['a trailing slash', 'a/'],
      ['an empty key', ''],
      ['a control character', 'a%00b'],
    ])('400 INVALID_KEY for %s', async (_label, key) => {
      const response = await inject({ url: `/api/v1/kv/${NS}/entries/${key}`, token: reader });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.INVALID_KEY);
    });

    it('404 NAMESPACE_NOT_FOUND for a namespace id that is not a UUID', async () => {
      for (const url of ['/api/v1/kv/namespaces/nope', '/api/v1/kv/nope/entries/k', `/api/v1/kv/${'n'.repeat(200)}/entries`]) {
        const response = await inject({ url, token: reader });
        expect({ url, status: response.statusCode, code: response.json().code }).toEqual({ url, status: 404, code: ErrorCode.NAMESPACE_NOT_FOUND });
      }
    });

    it('400 VALIDATION_FAILED for a broken percent-encoding', async () => {
      const response = await inject({ url: `/api/v1/kv/${NS}/entries/a%2`, token: reader });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(response.headers['x-request-id']).toBeDefined();
    });

    it('400 INVALID_VALUE for a value that does not match its type', async () => {
      const response = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'x', valueType: 'NUMBER' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.INVALID_VALUE);
    });

    it('413 VALUE_TOO_LARGE for a value over KV_MAX_VALUE_BYTES', async () => {
      const response = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'x'.repeat(3000), valueType: 'STRING' } });
      expect(response.statusCode).toBe(413);
      expect(response.json().code).toBe(ErrorCode.VALUE_TOO_LARGE);
    });

    it('413 PAYLOAD_TOO_LARGE for a body over KV_MAX_BODY_BYTES', async () => {
      const response = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'x'.repeat(9000), valueType: 'STRING' } });
      expect(response.statusCode).toBe(413);
      expect(response.json().code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    });

    it('400 VALIDATION_FAILED for malformed JSON, without quoting it', async () => {
      const response = await inject({
        method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, headers: { 'content-type': 'application/json' }, payload: '{"value": "hunter2", ',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(response.body).not.toContain('hunter2');
    });

    it('400 VALIDATION_FAILED for an unknown property', async () => {
      const response = await inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'v', valueType: 'STRING', owner: 'x' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, message: 'owner: property owner should not exist' });
    });

    it('400 for a bad key or a duplicate in a bulk set', async () => {
      const item = (key: string) => ({ key, value: 'v', valueType: 'STRING' });
      const badKey = await inject({ method: 'POST', url: `/api/v1/kv/${NS}/bulk/set`, token: writer, payload: { entries: [item('a'), item('b//c')] } });
      expect(badKey.json()).toMatchObject({ code: ErrorCode.INVALID_KEY, message: expect.stringContaining('entries[1].key') });
      const duplicate = await inject({ method: 'POST', url: `/api/v1/kv/${NS}/bulk/set`, token: writer, payload: { entries: [item('a'), item('a')] } });
      expect(duplicate.json().code).toBe(ErrorCode.DUPLICATE_KEY);
    });

    it('400 INVALID_KEY for a bad key in a bulk get', async () => {
      const response = await inject({ method: 'POST', url: `/api/v1/kv/${NS}/bulk/get`, token: reader, payload: { keys: ['ok', '/bad'] } });
      expect(response.json()).toMatchObject({ code: ErrorCode.INVALID_KEY, message: expect.stringContaining('keys[1]') });
    });
  });

  describe('HTTP surface', () => {
    it('404 ROUTE_NOT_FOUND as JSON for an unknown route', async () => {
      const response = await inject({ url: '/api/v1/kv/no/such/route', token: reader });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'route not found', code: ErrorCode.ROUTE_NOT_FOUND });
    });

    it('echoes a sane x-request-id and replaces an unsafe one', async () => {
      const echoed = await inject({ url: '/api/v1/kv/health/live', headers: { 'x-request-id': 'abc-123' } });
      expect(echoed.headers['x-request-id']).toBe('abc-123');
      const replaced = await inject({ url: '/api/v1/kv/namespaces', headers: { 'x-request-id': 'bad id\u0007' } });
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves the OpenAPI JSON listing every documented route, with its errors', async () => {
      const response = await inject({ url: '/api/v1/kv/openapi.json' });
      expect(response.statusCode).toBe(200);
      const document = response.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>> };
      const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      const expected = nestRoutes(app)
        .filter((route) => !route.excludedFromDocs)
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{key}')}`);
      expect(documented.sort()).toEqual(expected.sort());
      const put = document.paths['/api/v1/kv/{nsId}/entries/{key}'].put;
      expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '404', '409', '413', '429', '503']));
      expect(put.security).toEqual([{ bearer: [] }]);
    });

    it('serves the Swagger UI page and its assets', async () => {
      const page = await inject({ url: '/api/v1/kv/swagger-ui' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('swagger-ui-bundle.js');
      const bundle = await inject({ url: '/api/v1/kv/swagger-ui/swagger-ui-bundle.js' });
      expect(bundle.statusCode).toBe(200);
      const init = await inject({ url: '/api/v1/kv/swagger-ui/swagger-ui-init.js' });
      expect(init.body).toContain('/api/v1/kv/openapi.json');
      expect((await inject({ url: '/api/v1/kv/swagger-ui/package.json' })).statusCode).toBe(404);
    });
  });
});
