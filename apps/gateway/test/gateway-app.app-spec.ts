import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA, FASTIFY_ROUTE_CONSTRAINTS_METADATA } from '@nestjs/platform-fastify/constants';
import {
  EntryPattern,
  ErrorCode,
  KvException,
  NamespaceByIdRequest,
  NamespaceDescriptor,
  NamespacePattern,
  SecretEntryPattern,
  SecretNamespacePattern,
} from '@app/contracts';
import { ALL_PERMISSIONS } from '@app/permissions';
import { randomUUID } from 'node:crypto';
import { IS_PUBLIC_KEY, PERMISSION_REQUIREMENT_KEY, PermissionRequirement, TOKEN_ONLY_KEY } from '../src/auth/auth.decorators';
import { aPrincipal, aReader, aWriter, anAdmin, scopedTo } from '../../../test/support/principals';
import { bootGateway, plainDescriptor, tokenFor } from './support/boot-gateway';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
/** A secret namespace, for the mocked kv-entry service's DESCRIBE; tests may add fresh ones. */
const SECRET_NS = '5e0c7a1d-2b3c-4d5e-8f60-718293a4b5c6';
const secretNamespaces = new Set([SECRET_NS]);
const secretDescriptor = (namespaceId: string): NamespaceDescriptor => ({
  ...plainDescriptor(namespaceId),
  isSecretNamespace: true,
  defaultTtlSeconds: 60,
  maxSecretVersions: 5,
});
const entry = (key: string, version = 1) => ({
  id: '00000000-0000-4000-8000-000000000001',
  namespaceId: NS,
  keyPath: key,
  value: 'v',
  valueType: 'STRING',
  version,
  metadata: null,
  expiresAt: null,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
});

interface RouteInfo {
  method: string;
  path: string;
  isPublic: boolean;
  /** `@RequireTokenOnly()`: a valid token, no permission. */
  tokenOnly: boolean;
  requirement?: PermissionRequirement;
  /** Fastify route constraints the handler declares (`@RouteConstraints`). */
  constraints?: Record<string, string>;
  /** `@Audited`'s declaration, from the Fastify route config. */
  audit?: { action: string; revealsValues: boolean };
  excludedFromDocs: boolean;
}

function joinPath(...parts: string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Every route Nest registered, from the controllers' metadata, with its declarations. */
function nestRoutes(app: NestFastifyApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) continue;
    const controllerPath = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const controllerExcluded = Boolean(Reflect.getMetadata('swagger/apiExcludeController', controller)?.[0]);
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
        tokenOnly: Boolean(reflector.getAllAndOverride<boolean>(TOKEN_ONLY_KEY, [handler, controller])),
        requirement: reflector.getAllAndOverride<PermissionRequirement>(PERMISSION_REQUIREMENT_KEY, [handler, controller]),
        constraints: Reflect.getMetadata(FASTIFY_ROUTE_CONSTRAINTS_METADATA, handler) as Record<string, string> | undefined,
        audit: (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as { audit?: RouteInfo['audit'] } | undefined)?.audit,
        excludedFromDocs: controllerExcluded || Boolean(Reflect.getMetadata('swagger/apiExcludeEndpoint', handler)?.disable),
      });
    }
  }
  return routes;
}

/** A concrete URL for a route: its pattern filled in, plus the query its constraint asks for. */
function sampleUrl(route: Pick<RouteInfo, 'path' | 'constraints'>, ns = NS): string {
  const url = route.path.replace(':nsId', ns).replace('*', 'some/key');
  const query = { 'read-version': '?version=1', 'list-keys': '?values=false' }[route.constraints?.entryOperation ?? ''] ?? '';
  return `${url}${query}`;
}

/**
 * The Fastify route a Nest route becomes: an operation segment after the wildcard (`*\/rotate`) is
 * registered as the bare wildcard constrained to that operation (see entries/entry-operation.ts).
 */
function fastifyRouteOf(route: RouteInfo): string {
  const operation = /\/\*\/([^/]+)$/.exec(route.path)?.[1];
  const constraints = { ...route.constraints, ...(operation ? { entryOperation: operation } : {}) };
  const path = operation ? route.path.slice(0, -(operation.length + 1)) : route.path;
  return `${route.method} ${path}${Object.entries(constraints)
    .map(([name, value]) => ` [${name}=${value}]`)
    .join('')}`;
}

describe('gateway (in-process, broker mocked)', () => {
  let app: NestFastifyApplication;
  let send: jest.Mock;
  let describeNamespace: jest.Mock<Promise<NamespaceDescriptor>, [NamespaceByIdRequest]>;
  let secretsSend: jest.Mock;
  let fastifyRoutes: string[];
  let reader: string;
  let writer: string;
  let admin: string;

  beforeAll(async () => {
    ({ app, send, describeNamespace, secretsSend, fastifyRoutes } = await bootGateway({
      KV_MAX_VALUE_BYTES: '2048',
      KV_MAX_BODY_BYTES: '8192',
    }));
    describeNamespace.mockImplementation(({ namespaceId }) =>
      Promise.resolve(secretNamespaces.has(namespaceId) ? secretDescriptor(namespaceId) : plainDescriptor(namespaceId)),
    );
    reader = await tokenFor(aReader({ id: 'alice' }));
    writer = await tokenFor(aWriter({ id: 'alice', applications: ['billing'] }));
    admin = await tokenFor(anAdmin({ id: 'alice', applications: ['billing'] }));
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    send.mockReset();
    secretsSend.mockReset();
    describeNamespace.mockClear();
  });

  const inject = (options: { method?: string; url: string; token?: string; headers?: Record<string, string>; payload?: unknown }) =>
    app.inject({
      method: (options.method ?? 'GET') as 'GET',
      url: options.url,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload as object }),
    });

  /** What a service receives with each of alice's calls. */
  const meta = { actor: expect.objectContaining({ id: 'alice' }), requestId: expect.any(String), clientAddress: '127.0.0.1' };
  /** What the secrets service receives with alice's call in SECRET_NS: `fields` and the namespace's descriptor. */
  const secretMessage = (fields: Record<string, unknown>) => ({
    ...meta,
    namespaceId: SECRET_NS,
    namespace: secretDescriptor(SECRET_NS),
    ...fields,
  });

  /** The writer's creation of a namespace `n` in `applicationId`. */
  const createNamespaceN = (applicationId: string) =>
    inject({ method: 'POST', url: '/api/v1/kv/namespaces', token: writer, payload: { name: 'n', applicationId } });

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
          'GET /api/v1/kv/:nsId/entries/*/versions',
          'POST /api/v1/kv/:nsId/entries/*/rotate',
          'POST /api/v1/kv/:nsId/entries/*/rollback',
          'POST /api/v1/kv/:nsId/bulk/set',
          'GET /api/v1/kv/audit',
          'GET /api/v1/kv/audit/verify',
          'GET /api/v1/kv/whoami',
        ]),
      );
      // GET entries/* twice: the current value, and (constrained to `?version`) an old one; GET entries twice: with values,
      // and (constrained to `?values=false`) keys only.
      expect(routes.filter((route) => route === 'GET /api/v1/kv/:nsId/entries/*')).toHaveLength(2);
      expect(routes.filter((route) => route === 'GET /api/v1/kv/:nsId/entries')).toHaveLength(2);
      expect(routes).toHaveLength(23);
    });

    it('the scan sees every route Fastify serves, apart from the public Swagger documents and web console', () => {
      const scanned = nestRoutes(app).map(fastifyRouteOf);
      const swagger = [
        'GET /api/v1/kv/openapi.json',
        'GET /api/v1/kv/swagger-ui',
        'GET /api/v1/kv/swagger-ui/swagger-ui-init.js',
        'GET /api/v1/kv/swagger-ui/:asset',
      ];
      const console = ['GET /api/v1/kv/ui', 'GET /api/v1/kv/ui/*'];
      expect([...fastifyRoutes].sort()).toEqual([...scanned, ...swagger, ...console].sort());
    });

    it('every non-public route declares at least one permission, or that it needs a token only', () => {
      const undeclared = nestRoutes(app).filter(
        (route) => !route.isPublic && !route.tokenOnly && !(route.requirement?.permissions.length ?? 0),
      );
      expect(undeclared.map((route) => `${route.method} ${route.path}`)).toEqual([]);
    });

    it('only whoami needs a token and no permission, and declares nothing else', () => {
      const tokenOnly = nestRoutes(app).filter((route) => route.tokenOnly);
      expect(tokenOnly.map((route) => `${route.method} ${route.path}`)).toEqual(['GET /api/v1/kv/whoami']);
      expect(tokenOnly.every((route) => !route.isPublic && route.requirement === undefined)).toBe(true);
    });

    it('every non-public route declares its audit action; only the reads of values reveal them', () => {
      const audited = nestRoutes(app)
        .filter((route) => !route.isPublic)
        .map(
          (route) =>
            `${route.method} ${sampleUrl(route, ':nsId').replace('some/key', '*')}: ${route.audit?.action ?? 'none'}${route.audit?.revealsValues ? ' (values)' : ''}`,
        );
      expect(audited.sort()).toEqual(
        [
          'GET /api/v1/kv/namespaces: NAMESPACE_READ',
          'GET /api/v1/kv/namespaces/:nsId: NAMESPACE_READ',
          'POST /api/v1/kv/namespaces: NAMESPACE_CREATE',
          'PUT /api/v1/kv/namespaces/:nsId: NAMESPACE_UPDATE',
          'DELETE /api/v1/kv/namespaces/:nsId: NAMESPACE_DELETE',
          'GET /api/v1/kv/:nsId/entries: LIST (values)',
          'GET /api/v1/kv/:nsId/entries?values=false: LIST',
          'GET /api/v1/kv/:nsId/entries/*: READ (values)',
          'GET /api/v1/kv/:nsId/entries/*?version=1: READ (values)',
          'PUT /api/v1/kv/:nsId/entries/*: WRITE',
          'DELETE /api/v1/kv/:nsId/entries/*: DELETE',
          'GET /api/v1/kv/:nsId/entries/*/versions: READ',
          'POST /api/v1/kv/:nsId/entries/*/rotate: ROTATE',
          'POST /api/v1/kv/:nsId/entries/*/rollback: ROLLBACK',
          'POST /api/v1/kv/:nsId/bulk/get: READ (values)',
          'POST /api/v1/kv/:nsId/bulk/set: WRITE',
          'POST /api/v1/kv/:nsId/bulk/delete: DELETE',
          'GET /api/v1/kv/:nsId/watch: WATCH',
          'GET /api/v1/kv/audit: AUDIT_READ',
          'GET /api/v1/kv/audit/verify: AUDIT_READ',
          'GET /api/v1/kv/whoami: WHOAMI',
        ].sort(),
      );
    });

    it('only health is public', () => {
      const publicRoutes = nestRoutes(app)
        .filter((route) => route.isPublic)
        .map((route) => `${route.method} ${route.path}`);
      expect(publicRoutes.sort()).toEqual(['GET /api/v1/kv/health/live', 'GET /api/v1/kv/health/ready']);
    });

    it('every non-public route answers 401 without a token', async () => {
      for (const route of nestRoutes(app).filter((candidate) => !candidate.isPublic)) {
        const response = await inject({
          method: route.method,
          url: sampleUrl(route),
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        expect({ route: `${route.method} ${route.path}`, status: response.statusCode }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
      }
      expect(send).not.toHaveBeenCalled();
    });

    // Proves that each sample URL reaches the very route whose declaration is read above: routes that
    // share a Fastify path (GET entries/* and its `?version` twin, POST */rotate and */rollback) are
    // each guarded by their own permissions, and by nothing else.
    it('each route is guarded by exactly its own declared permissions', async () => {
      for (const route of nestRoutes(app).filter((candidate) => !candidate.isPublic)) {
        const declared = route.requirement?.permissions ?? [];
        const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const label = `${route.method} ${route.path}${route.constraints ? ' ' + JSON.stringify(route.constraints) : ''}`;
        const holding = await tokenFor(aPrincipal(declared));
        const allowed = await inject({ method: route.method, url: sampleUrl(route), token: holding, payload });
        expect({ label, status: allowed.statusCode }).not.toEqual({ label, status: 403 });
        for (const withheld of declared) {
          const lacking = await tokenFor(aPrincipal(ALL_PERMISSIONS.filter((permission) => permission !== withheld)));
          const denied = await inject({ method: route.method, url: sampleUrl(route), token: lacking, payload });
          expect({ label, status: denied.statusCode, message: denied.json().message }).toEqual({
            label,
            status: 403,
            message: `missing permission ${withheld}`,
          });
        }
      }
    });
  });

  describe('authentication and permissions', () => {
    it('401 UNAUTHENTICATED without a token', async () => {
      const response = await inject({ url: '/api/v1/kv/namespaces' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'missing bearer token',
        code: ErrorCode.UNAUTHENTICATED,
      });
    });

    it('401 with a token signed by another key, without echoing the token', async () => {
      const forged = await tokenFor(anAdmin(), 'another-secret-another-secret-another-1');
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
      const response = await createNamespaceN('payroll');
      expect(response.statusCode).toBe(403);
      expect(send).not.toHaveBeenCalled();
    });

    it('a namespace-scoped grant opens that namespace only', async () => {
      const scoped = await tokenFor(scopedTo(NS, ['kv-entry:read']));
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

  describe('whoami', () => {
    it("answers the token's principal, grants, applications and expiry, never the token, without asking any service", async () => {
      const token = await tokenFor(aPrincipal(['kv-namespace:read', `kv-entry:read@${NS}`], { id: 'console', applications: ['billing'] }));
      const response = await inject({ url: '/api/v1/kv/whoami', token });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toEqual({
        userId: 'console',
        permissions: ['kv-namespace:read', `kv-entry:read@${NS}`],
        granted: [
          { permission: 'kv-namespace:read', allNamespaces: true, namespaceIds: [] },
          { permission: 'kv-entry:read', allNamespaces: false, namespaceIds: [NS] },
        ],
        applications: ['billing'],
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        expiresInSeconds: expect.any(Number),
      });
      expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
      expect(body.expiresInSeconds).toBeGreaterThan(0);
      expect(response.body).not.toContain(token);
      expect(send).not.toHaveBeenCalled();
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it('needs a valid token, and nothing more', async () => {
      expect((await inject({ url: '/api/v1/kv/whoami' })).statusCode).toBe(401);
      expect((await inject({ url: '/api/v1/kv/whoami', token: await tokenFor(aPrincipal([])) })).statusCode).toBe(200);
    });
  });

  describe('forwarding', () => {
    it('forwards the actor, request id and client address with each message', async () => {
      send.mockResolvedValue({ items: [], nextCursor: null });
      const response = await inject({
        url: '/api/v1/kv/namespaces?applicationId=billing&limit=5',
        token: reader,
        headers: { 'x-request-id': 'trace-1' },
      });
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
      const response = await createNamespaceN('billing');
      expect(response.statusCode).toBe(201);
      expect(send).toHaveBeenCalledWith(
        NamespacePattern.CREATE,
        expect.objectContaining({ body: { name: 'n', applicationId: 'billing' } }),
      );
    });

    it('decodes the key exactly once', async () => {
      send.mockResolvedValue(entry('x'));
      await inject({ url: `/api/v1/kv/${NS}/entries/a%2Fb/c%252Fd/%E2%82%AC%20x?ignored=1`, token: reader });
      expect(send).toHaveBeenCalledWith(EntryPattern.GET, expect.objectContaining({ namespaceId: NS, key: 'a/b/c%2Fd/€ x' }));
    });

    it('PUT answers 201 when created, 200 when replaced, with the version as ETag', async () => {
      send.mockResolvedValueOnce({ entry: entry('k', 1), created: true }).mockResolvedValueOnce({ entry: entry('k', 2), created: false });
      const put = () =>
        inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, payload: { value: 'v', valueType: 'STRING' } });
      const first = await put();
      const second = await put();
      expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
      expect(second.headers.etag).toBe('"2"');
      expect(second.json()).toMatchObject({ keyPath: 'k', version: 2 });
    });

    it('takes If-Match as the expected version, and refuses it when the body disagrees', async () => {
      send.mockResolvedValue({ entry: entry('k', 4), created: false });
      const ok = await inject({
        method: 'PUT',
        url: `/api/v1/kv/${NS}/entries/k`,
        token: writer,
        headers: { 'if-match': '"3"' },
        payload: { value: 'v', valueType: 'STRING' },
      });
      expect(ok.statusCode).toBe(200);
      expect(send).toHaveBeenCalledWith(
        EntryPattern.PUT,
        expect.objectContaining({ body: expect.objectContaining({ expectedVersion: 3 }) }),
      );
      const conflict = await inject({
        method: 'PUT',
        url: `/api/v1/kv/${NS}/entries/k`,
        token: writer,
        headers: { 'if-match': '3' },
        payload: { value: 'v', valueType: 'STRING', expectedVersion: 2 },
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
      const response = await inject({
        method: 'PUT',
        url: `/api/v1/kv/${NS}/entries/k`,
        token: writer,
        payload: { value: 'v', valueType: 'STRING' },
      });
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

  describe('routing by namespace kind', () => {
    it("sends a plain namespace's entry call to kv-entry exactly as before, with no descriptor", async () => {
      send.mockResolvedValue(entry('k'));
      expect((await inject({ url: `/api/v1/kv/${NS}/entries/a/b`, token: reader })).statusCode).toBe(200);
      expect(send).toHaveBeenCalledWith(EntryPattern.GET, { ...meta, namespaceId: NS, key: 'a/b' });
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it("sends a secret namespace's entry call to the secrets service, with the namespace's descriptor", async () => {
      secretsSend.mockResolvedValue(entry('db/password', 4));
      const response = await inject({ url: `/api/v1/kv/${SECRET_NS}/entries/db/password`, token: reader });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"4"');
      expect(secretsSend).toHaveBeenCalledWith(SecretEntryPattern.GET, secretMessage({ key: 'db/password' }));
      expect(send).not.toHaveBeenCalled();
    });

    it.each([
      ['GET', '/entries?prefix=db/', undefined, SecretEntryPattern.LIST, { items: [], nextCursor: null }, { query: { prefix: 'db/' } }],
      [
        'PUT',
        '/entries/k',
        { value: 'v', valueType: 'STRING' },
        SecretEntryPattern.PUT,
        { entry: entry('k'), created: true },
        { key: 'k', body: { value: 'v', valueType: 'STRING' } },
      ],
      ['DELETE', '/entries/k', undefined, SecretEntryPattern.DELETE, undefined, { key: 'k' }],
      ['POST', '/bulk/get', { keys: ['a'] }, SecretEntryPattern.BULK_GET, { items: [], missing: ['a'] }, { body: { keys: ['a'] } }],
      [
        'POST',
        '/bulk/set',
        { entries: [{ key: 'a', value: 'v', valueType: 'STRING' }] },
        SecretEntryPattern.BULK_SET,
        { items: [] },
        { body: { entries: [{ key: 'a', value: 'v', valueType: 'STRING' }] } },
      ],
      ['POST', '/bulk/delete', { keys: ['a'] }, SecretEntryPattern.BULK_DELETE, { deleted: [], missing: ['a'] }, { body: { keys: ['a'] } }],
    ])('%s %s in a secret namespace goes to %s', async (method, path, payload, pattern, reply, fields) => {
      secretsSend.mockResolvedValue(reply);
      const response = await inject({ method, url: `/api/v1/kv/${SECRET_NS}${path}`, token: admin, payload });
      expect(response.statusCode).toBeLessThan(300);
      expect(secretsSend).toHaveBeenCalledWith(
        pattern,
        expect.objectContaining({ namespaceId: SECRET_NS, namespace: secretDescriptor(SECRET_NS), ...fields }),
      );
      expect(send).not.toHaveBeenCalled();
    });

    it.each([
      ['a plain namespace', NS, 'kv-entry', EntryPattern.LIST_KEYS],
      ['a secret namespace', SECRET_NS, 'the secrets service', SecretEntryPattern.LIST_KEYS],
    ])('sends a keys-only listing of %s to %s, without `values`', async (_kind, ns, _service, pattern) => {
      const keysPage = { items: [], folders: ['db/'], nextCursor: null, revision: 7 };
      send.mockResolvedValue(keysPage);
      secretsSend.mockResolvedValue(keysPage);
      const response = await inject({ url: `/api/v1/kv/${ns}/entries?prefix=a/&values=false&delimiter=/&limit=5`, token: reader });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], folders: ['db/'], nextCursor: null });
      expect(response.headers['x-kv-revision']).toEqual(expect.any(String));
      const sent = (ns === SECRET_NS ? secretsSend : send).mock.calls.find(([called]) => called === pattern);
      expect(sent?.[1]).toMatchObject({ namespaceId: ns, query: { prefix: 'a/', delimiter: '/', limit: 5 } });
      expect(sent?.[1].query).not.toHaveProperty('values');
    });

    it('a keys-only listing needs namespace read alone; a listing with values still needs entry read too', async () => {
      const browser = await tokenFor(aPrincipal(['kv-namespace:read']));
      send.mockResolvedValue({ items: [], folders: [], nextCursor: null, revision: 1 });
      expect((await inject({ url: `/api/v1/kv/${NS}/entries?values=false`, token: browser })).statusCode).toBe(200);
      for (const url of [`/api/v1/kv/${NS}/entries`, `/api/v1/kv/${NS}/entries?values=true`]) {
        const refused = await inject({ url, token: browser });
        expect({ url, status: refused.statusCode, message: refused.json().message }).toEqual({
          url,
          status: 403,
          message: 'missing permission kv-entry:read',
        });
      }
    });

    it.each([
      ['?values=false&delimiter=,', 'delimiter must be "/", the only one supported'],
      ['?values=false&delimiter=//', 'delimiter must be "/", the only one supported'],
      ['?delimiter=/', 'delimiter needs values=false: only a keys-only listing groups keys into folders'],
      ['?values=true&delimiter=/', 'delimiter needs values=false: only a keys-only listing groups keys into folders'],
      ['?values=maybe', 'values must be "true" or "false"'],
      ['?values=', 'values must be "true" or "false"'],
      ['?values=FALSE', 'values must be "true" or "false"'],
      ['?values=true&values=true', 'values must be "true" or "false"'],
      ['?values=false&values=true', 'values must be "true" or "false"'],
      ['?values=false&values=false', 'values must be "true" or "false"'],
    ])('refuses %s with 400 VALIDATION_FAILED, before any service call', async (query, message) => {
      const response = await inject({ url: `/api/v1/kv/${NS}/entries${query}`, token: admin });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, message: expect.stringContaining(message) });
      expect(send.mock.calls.filter(([pattern]) => pattern !== NamespacePattern.DESCRIBE)).toEqual([]);
    });

    it("asks kv-entry for a namespace's descriptor once, then routes from the cache", async () => {
      const ns = randomUUID();
      send.mockResolvedValue(entry('k'));
      for (let i = 0; i < 3; i += 1) expect((await inject({ url: `/api/v1/kv/${ns}/entries/k`, token: reader })).statusCode).toBe(200);
      expect(describeNamespace).toHaveBeenCalledTimes(1);
      expect(describeNamespace).toHaveBeenCalledWith({ ...meta, namespaceId: ns });
      expect(send).toHaveBeenCalledTimes(3);
    });

    it('cannot reach a cached namespace of an application the caller may not access: 404, as if absent', async () => {
      const ns = randomUUID();
      send.mockResolvedValue(entry('k'));
      expect((await inject({ url: `/api/v1/kv/${ns}/entries/k`, token: reader })).statusCode).toBe(200);
      send.mockClear();
      const outsider = await tokenFor(anAdmin({ id: 'mallory', applications: ['shipping'] }));
      const response = await inject({ url: `/api/v1/kv/${ns}/entries/k`, token: outsider });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND, message: `namespace ${ns} not found` });
      expect(describeNamespace).toHaveBeenCalledTimes(1);
      expect(send).not.toHaveBeenCalled();
    });

    it("passes kv-entry's NAMESPACE_NOT_FOUND through, without calling either service", async () => {
      describeNamespace.mockRejectedValueOnce(new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'namespace x not found'));
      const response = await inject({ url: `/api/v1/kv/${randomUUID()}/entries/k`, token: reader });
      expect(response.statusCode).toBe(404);
      expect(send).not.toHaveBeenCalled();
      expect(secretsSend).not.toHaveBeenCalled();
    });
  });

  describe('secret operations', () => {
    const secretUrl = (path: string, ns = SECRET_NS) => `/api/v1/kv/${ns}/entries/${path}`;

    it('rotates: 200 with the new version as ETag', async () => {
      secretsSend.mockResolvedValue(entry('db/password', 3));
      const body = { value: 'next', reason: 'quarterly' };
      const response = await inject({ method: 'POST', url: secretUrl('db/password/rotate'), token: admin, payload: body });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"3"');
      expect(secretsSend).toHaveBeenCalledWith(SecretEntryPattern.ROTATE, secretMessage({ key: 'db/password', body }));
    });

    it('rolls back: 200 with the new version', async () => {
      secretsSend.mockResolvedValue(entry('db/password', 5));
      const response = await inject({ method: 'POST', url: secretUrl('db/password/rollback'), token: admin, payload: { version: 2 } });
      expect(response.statusCode).toBe(200);
      expect(secretsSend).toHaveBeenCalledWith(
        SecretEntryPattern.ROLLBACK,
        expect.objectContaining({ key: 'db/password', body: { version: 2 } }),
      );
    });

    it('lists versions with their page query; the key is decoded once, as for every entry route', async () => {
      secretsSend.mockResolvedValue({ items: [], nextCursor: null });
      const response = await inject({ url: `${secretUrl('a%2Fb/c%252Fd/versions')}?limit=2&cursor=abc`, token: reader });
      expect(response.statusCode).toBe(200);
      expect(secretsSend).toHaveBeenCalledWith(
        SecretEntryPattern.VERSIONS,
        secretMessage({ key: 'a/b/c%2Fd', query: { limit: 2, cursor: 'abc' } }),
      );
    });

    it('reads an old version with ?version=N, without an ETag', async () => {
      const auditor = await tokenFor(aPrincipal(['kv-secret:versions']));
      secretsSend.mockResolvedValue(entry('db/password', 1));
      const response = await inject({ url: `${secretUrl('db/password')}?version=1`, token: auditor });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBeUndefined();
      expect(secretsSend).toHaveBeenCalledWith(SecretEntryPattern.GET, expect.objectContaining({ key: 'db/password', version: 1 }));
    });

    it('cannot rotate or roll back without kv-secret:rotate, even holding every kv-entry permission', async () => {
      const entryAdmin = await tokenFor(aWriter());
      for (const [path, body] of [
        ['k/rotate', {}],
        ['k/rollback', { version: 1 }],
      ] as const) {
        const response = await inject({ method: 'POST', url: secretUrl(path), token: entryAdmin, payload: body });
        expect(response.json()).toMatchObject({
          statusCode: 403,
          code: ErrorCode.FORBIDDEN,
          message: 'missing permission kv-secret:rotate',
        });
      }
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it('cannot read an old secret value with kv-entry:read alone', async () => {
      const response = await inject({ url: `${secretUrl('k')}?version=1`, token: reader });
      expect(response.json()).toMatchObject({ statusCode: 403, message: 'missing permission kv-secret:versions' });
      expect(describeNamespace).not.toHaveBeenCalled();
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it('cannot read the current value with kv-secret:versions alone', async () => {
      const auditor = await tokenFor(aPrincipal(['kv-secret:versions']));
      expect((await inject({ url: secretUrl('k'), token: auditor })).json()).toMatchObject({
        statusCode: 403,
        message: 'missing permission kv-entry:read',
      });
    });

    it('honours a grant scoped to the secret namespace only', async () => {
      const scoped = await tokenFor(scopedTo(SECRET_NS, ['kv-secret:rotate']));
      secretsSend.mockResolvedValue(entry('k', 2));
      expect((await inject({ method: 'POST', url: secretUrl('k/rotate'), token: scoped, payload: {} })).statusCode).toBe(200);
      expect((await inject({ method: 'POST', url: secretUrl('k/rotate', NS), token: scoped, payload: {} })).statusCode).toBe(403);
    });

    it.each([
      ['POST', 'k/rotate', {}],
      ['POST', 'k/rollback', { version: 1 }],
      ['GET', 'k/versions', undefined],
      ['GET', 'k?version=1', undefined],
    ])('%s %s in a plain namespace: 400 NOT_A_SECRET_NAMESPACE, after the permission check', async (method, path, payload) => {
      const response = await inject({ method, url: `/api/v1/kv/${NS}/entries/${path}`, token: admin, payload });
      expect(response.json()).toMatchObject({ statusCode: 400, code: ErrorCode.NOT_A_SECRET_NAMESPACE });
      expect(send).not.toHaveBeenCalled();
      expect(secretsSend).not.toHaveBeenCalled();
      const unprivileged = await tokenFor(aPrincipal(['kv-namespace:read']));
      expect((await inject({ method, url: `/api/v1/kv/${NS}/entries/${path}`, token: unprivileged, payload })).statusCode).toBe(403);
    });

    it('serves no other POST on an entry: 404 ROUTE_NOT_FOUND', async () => {
      for (const path of ['k/other', 'k', 'k%2Frotate', 'rotate']) {
        const response = await inject({ method: 'POST', url: secretUrl(path), token: admin, payload: {} });
        expect({ path, status: response.statusCode, code: response.json().code }).toEqual({
          path,
          status: 404,
          code: ErrorCode.ROUTE_NOT_FOUND,
        });
      }
    });

    it('keeps the key rules: GET of a key ending in /rotate reads it; a bad key before an operation is INVALID_KEY', async () => {
      secretsSend.mockResolvedValue(entry('k/rotate'));
      await inject({ url: secretUrl('k/rotate'), token: reader });
      expect(secretsSend).toHaveBeenCalledWith(SecretEntryPattern.GET, expect.objectContaining({ key: 'k/rotate' }));
      secretsSend.mockClear();
      for (const [method, path] of [
        ['POST', 'a//b/rotate'],
        ['GET', 'a/versions/versions'],
        ['GET', '/versions'],
      ] as const) {
        const response = await inject({ method, url: secretUrl(path), token: admin, payload: method === 'POST' ? {} : undefined });
        expect({ path, code: response.json().code }).toEqual({ path, code: ErrorCode.INVALID_KEY });
      }
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it.each([
      ['a rotation value of another type than it names', 'POST', 'k/rotate', { value: 'x', valueType: 'NUMBER' }, ErrorCode.INVALID_VALUE],
      ['a rotation value over KV_MAX_VALUE_BYTES', 'POST', 'k/rotate', { value: 'x'.repeat(3000) }, ErrorCode.VALUE_TOO_LARGE],
      ['an unknown rotation alphabet', 'POST', 'k/rotate', { alphabet: 'emoji' }, ErrorCode.VALIDATION_FAILED],
      ['a rollback without a version', 'POST', 'k/rollback', {}, ErrorCode.VALIDATION_FAILED],
      ['a version that is not a positive integer', 'GET', 'k?version=0', undefined, ErrorCode.VALIDATION_FAILED],
      ['a version that is not a number', 'GET', 'k?version=latest', undefined, ErrorCode.VALIDATION_FAILED],
      ['a history page over the limit', 'GET', 'k/versions?limit=100000', undefined, ErrorCode.VALIDATION_FAILED],
    ])('refuses %s before any broker call', async (_label, method, path, payload, code) => {
      const response = await inject({ method, url: secretUrl(path), token: admin, payload });
      expect(response.json().code).toBe(code);
      expect(describeNamespace).not.toHaveBeenCalled();
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it.each([
      [ErrorCode.VERSION_NOT_FOUND, 404],
      [ErrorCode.MASTER_KEY_UNAVAILABLE, 503],
      [ErrorCode.DECRYPTION_FAILED, 500],
    ])("answers the secrets service's %s with %i and its message", async (code, status) => {
      secretsSend.mockRejectedValue(new KvException(code, 'what the secrets service said'));
      const response = await inject({ url: `${secretUrl('k')}?version=9`, token: admin });
      expect(response.json()).toEqual({ statusCode: status, error: expect.any(String), message: 'what the secrets service said', code });
    });
  });

  describe('namespace changes', () => {
    const readEntry = (ns: string) => inject({ url: `/api/v1/kv/${ns}/entries/k`, token: reader });

    it("an update evicts the namespace's descriptor: the next entry call asks again", async () => {
      const ns = randomUUID();
      send.mockResolvedValue(entry('k'));
      await readEntry(ns);
      await readEntry(ns);
      expect(describeNamespace).toHaveBeenCalledTimes(1);
      send.mockResolvedValueOnce({ id: ns });
      expect(
        (
          await inject({
            method: 'PUT',
            url: `/api/v1/kv/namespaces/${ns}`,
            token: writer,
            payload: { name: 'n', applicationId: 'billing' },
          })
        ).statusCode,
      ).toBe(200);
      await readEntry(ns);
      expect(describeNamespace).toHaveBeenCalledTimes(2);
    });

    it('deleting a plain namespace deletes it in kv-entry only, and evicts it', async () => {
      const ns = randomUUID();
      send.mockResolvedValue(entry('k'));
      await readEntry(ns); // its descriptor is now kept
      send.mockResolvedValue({ deleted: true, namespace: plainDescriptor(ns) });
      expect((await inject({ method: 'DELETE', url: `/api/v1/kv/namespaces/${ns}`, token: writer })).statusCode).toBe(204);
      expect(send).toHaveBeenCalledWith(NamespacePattern.DELETE, expect.objectContaining({ namespaceId: ns }));
      expect(secretsSend).not.toHaveBeenCalled();
      send.mockResolvedValue(entry('k'));
      await readEntry(ns);
      expect(describeNamespace).toHaveBeenCalledTimes(2);
    });

    it('deleting a secret namespace deletes it in kv-entry, then purges its secrets', async () => {
      const ns = randomUUID();
      secretNamespaces.add(ns);
      send.mockResolvedValue({ deleted: true, namespace: secretDescriptor(ns) });
      secretsSend.mockResolvedValue(undefined);
      expect((await inject({ method: 'DELETE', url: `/api/v1/kv/namespaces/${ns}`, token: writer })).statusCode).toBe(204);
      expect(send).toHaveBeenCalledWith(NamespacePattern.DELETE, expect.objectContaining({ namespaceId: ns }));
      expect(secretsSend).toHaveBeenCalledWith(
        SecretNamespacePattern.PURGE,
        expect.objectContaining({ namespaceId: ns, actor: expect.objectContaining({ id: 'alice' }) }),
      );
      expect(send.mock.invocationCallOrder[0]).toBeLessThan(secretsSend.mock.invocationCallOrder[0]!);
    });

    it('answers 503 when the purge fails after the delete, naming the namespace', async () => {
      const ns = randomUUID();
      secretNamespaces.add(ns);
      send.mockResolvedValue({ deleted: true, namespace: secretDescriptor(ns) });
      secretsSend.mockRejectedValue(new KvException(ErrorCode.SERVICE_TIMEOUT, 'secrets did not answer within 5000 ms'));
      const response = await inject({ method: 'DELETE', url: `/api/v1/kv/namespaces/${ns}`, token: writer });
      expect(response.json()).toMatchObject({ statusCode: 503, code: ErrorCode.SERVICE_UNAVAILABLE, message: expect.stringContaining(ns) });
      expect(send).toHaveBeenCalledWith(NamespacePattern.DELETE, expect.anything());
    });

    it('answers IDEMPOTENCY_KEY_IN_PROGRESS 409 with Retry-After, and passes the key on as digests only', async () => {
      send.mockRejectedValue(
        new KvException(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS, 'the first request with this key is still being applied'),
      );
      const response = await inject({
        method: 'PUT',
        url: `/api/v1/kv/namespaces/${NS}`,
        token: writer,
        payload: { name: 'n', applicationId: 'billing' },
        headers: { 'idempotency-key': '"my-key-1"' },
      });
      expect({ status: response.statusCode, retryAfter: response.headers['retry-after'] }).toEqual({ status: 409, retryAfter: '1' });
      const sent = send.mock.calls[0]![1] as { idempotency: { key: string; fingerprint: string } };
      expect(sent.idempotency).toEqual({
        key: expect.stringMatching(/^[0-9a-f]{64}$/),
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(JSON.stringify(sent)).not.toContain('my-key-1');
    });

    it('purges nothing when kv-entry refuses the delete', async () => {
      const ns = randomUUID();
      secretNamespaces.add(ns);
      send.mockRejectedValue(new KvException(ErrorCode.FORBIDDEN, 'missing permission kv-namespace:delete'));
      expect((await inject({ method: 'DELETE', url: `/api/v1/kv/namespaces/${ns}`, token: writer })).statusCode).toBe(403);
      expect(secretsSend).not.toHaveBeenCalled();
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

    it.each([
      ['a PUT', 'PUT', `/api/v1/kv/${NS}/entries/k`, { value: 'x', valueType: 'STRING' }],
      ['a namespace delete', 'DELETE', `/api/v1/kv/namespaces/${NS}`, undefined],
    ] as const)('400 INVALID_IDEMPOTENCY_KEY for a malformed key on %s', async (_label, method, url, payload) => {
      const response = await inject({ method, url, token: writer, payload, headers: { 'idempotency-key': 'two words' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: ErrorCode.INVALID_IDEMPOTENCY_KEY,
        message: expect.stringContaining('Idempotency-Key'),
      });
    });

    it('404 NAMESPACE_NOT_FOUND for a namespace id that is not a UUID', async () => {
      for (const url of ['/api/v1/kv/namespaces/nope', '/api/v1/kv/nope/entries/k', `/api/v1/kv/${'n'.repeat(200)}/entries`]) {
        const response = await inject({ url, token: reader });
        expect({ url, status: response.statusCode, code: response.json().code }).toEqual({
          url,
          status: 404,
          code: ErrorCode.NAMESPACE_NOT_FOUND,
        });
      }
    });

    it('400 VALIDATION_FAILED for a broken percent-encoding', async () => {
      const response = await inject({ url: `/api/v1/kv/${NS}/entries/a%2`, token: reader });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(response.headers['x-request-id']).toBeDefined();
    });

    /** The writer's PUT of the entry `k`. */
    const putK = (payload: unknown, headers?: Record<string, string>) =>
      inject({ method: 'PUT', url: `/api/v1/kv/${NS}/entries/k`, token: writer, headers, payload });

    it.each([
      ['400 INVALID_VALUE for a value that does not match its type', { value: 'x', valueType: 'NUMBER' }, 400, ErrorCode.INVALID_VALUE],
      [
        '413 VALUE_TOO_LARGE for a value over KV_MAX_VALUE_BYTES',
        { value: 'x'.repeat(3000), valueType: 'STRING' },
        413,
        ErrorCode.VALUE_TOO_LARGE,
      ],
      [
        '413 PAYLOAD_TOO_LARGE for a body over KV_MAX_BODY_BYTES',
        { value: 'x'.repeat(9000), valueType: 'STRING' },
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
      ],
    ])('%s', async (_name, payload, status, code) => {
      const response = await putK(payload);
      expect(response.statusCode).toBe(status);
      expect(response.json().code).toBe(code);
    });

    it('400 VALIDATION_FAILED for malformed JSON, without quoting it', async () => {
      const response = await putK('{"value": "hunter2", ', { 'content-type': 'application/json' });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(response.body).not.toContain('hunter2');
    });

    it('400 VALIDATION_FAILED for an unknown property', async () => {
      const response = await putK({ value: 'v', valueType: 'STRING', owner: 'x' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: ErrorCode.VALIDATION_FAILED,
        message: 'body: has a property that is not part of the API (its name is not repeated, as it may hold data)',
      });
    });

    it('400 for a bad key or a duplicate in a bulk set', async () => {
      const item = (key: string) => ({ key, value: 'v', valueType: 'STRING' });
      const badKey = await inject({
        method: 'POST',
        url: `/api/v1/kv/${NS}/bulk/set`,
        token: writer,
        payload: { entries: [item('a'), item('b//c')] },
      });
      expect(badKey.json()).toMatchObject({ code: ErrorCode.INVALID_KEY, message: expect.stringContaining('entries[1].key') });
      const duplicate = await inject({
        method: 'POST',
        url: `/api/v1/kv/${NS}/bulk/set`,
        token: writer,
        payload: { entries: [item('a'), item('a')] },
      });
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
      const document = response.json() as {
        paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
      };
      const documented = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const expected = nestRoutes(app)
        .filter((route) => !route.excludedFromDocs)
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}').replace('*', '{key}')}`);
      expect(documented.sort()).toEqual(expected.sort());
      // Left out besides health: GET {key}?version=N, documented as the `version` query of GET {key}, and GET entries?values=false,
      // documented as the `values` query of GET entries.
      const undocumented = nestRoutes(app).filter((route) => route.excludedFromDocs && !route.isPublic);
      expect(undocumented.map((route) => [route.method, route.path, route.constraints])).toEqual(
        expect.arrayContaining([
          ['GET', '/api/v1/kv/:nsId/entries/*', { entryOperation: 'read-version' }],
          ['GET', '/api/v1/kv/:nsId/entries', { entryOperation: 'list-keys' }],
        ]),
      );
      expect(undocumented).toHaveLength(2);
      const list = document.paths['/api/v1/kv/{nsId}/entries'].get as unknown as {
        parameters: Array<{ name: string }>;
        responses: Record<string, { content: Record<string, { schema: unknown }> }>;
      };
      expect(list.parameters.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['values', 'delimiter', 'prefix']));
      expect(list.responses['200'].content['application/json'].schema).toEqual({
        oneOf: [{ $ref: '#/components/schemas/EntryPage' }, { $ref: '#/components/schemas/EntryKeyPage' }],
      });
      const put = document.paths['/api/v1/kv/{nsId}/entries/{key}'].put;
      expect(Object.keys(put.responses)).toEqual(
        expect.arrayContaining(['200', '201', '400', '401', '403', '404', '409', '413', '429', '503']),
      );
      expect(put.security).toEqual([{ bearer: [] }]);
    });

    it('documents the secret operations as paths of their own, with their bodies, replies and errors', async () => {
      interface Operation {
        parameters: Array<{ name: string; in: string }>;
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
        responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }>;
        security?: unknown[];
      }
      const document = (await inject({ url: '/api/v1/kv/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
      const entries = '/api/v1/kv/{nsId}/entries/{key}';
      const rotate = document.paths[`${entries}/rotate`].post;
      const rollback = document.paths[`${entries}/rollback`].post;
      const versions = document.paths[`${entries}/versions`].get;
      const get = document.paths[entries].get;
      const schemaOf = (operation: Operation, part: 'body' | '200') =>
        (part === 'body' ? operation.requestBody?.content['application/json'] : operation.responses['200'].content?.['application/json'])
          ?.schema.$ref;
      const parametersIn = (operation: Operation, place: 'path' | 'query') =>
        operation.parameters
          .filter((parameter) => parameter.in === place)
          .map((parameter) => parameter.name)
          .sort();

      expect([schemaOf(rotate, 'body'), schemaOf(rotate, '200')]).toEqual([
        '#/components/schemas/SecretRotateBody',
        '#/components/schemas/EntryDto',
      ]);
      expect([schemaOf(rollback, 'body'), schemaOf(rollback, '200')]).toEqual([
        '#/components/schemas/SecretRollbackBody',
        '#/components/schemas/EntryDto',
      ]);
      expect(schemaOf(versions, '200')).toBe('#/components/schemas/SecretVersionPage');
      for (const operation of [rotate, rollback, versions]) {
        expect(parametersIn(operation, 'path')).toEqual(['key', 'nsId']);
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(operation.responses['400'].description).toContain(ErrorCode.NOT_A_SECRET_NAMESPACE);
        expect(operation.responses['503'].description).toContain(ErrorCode.MASTER_KEY_UNAVAILABLE);
      }
      expect(rollback.responses['404'].description).toContain(ErrorCode.VERSION_NOT_FOUND);
      expect(parametersIn(versions, 'query')).toEqual(['cursor', 'limit']);
      expect(get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'version', in: 'query', required: false })]));
      expect(get.responses['500'].description).toContain(ErrorCode.DECRYPTION_FAILED);
    });

    it('documents the audit routes under the tag audit, with their replies', async () => {
      const document = (await inject({ url: '/api/v1/kv/openapi.json' })).json() as {
        paths: Record<
          string,
          {
            get: {
              tags: string[];
              security: unknown[];
              parameters: Array<{ name: string }>;
              responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }>;
            };
          }
        >;
      };
      const list = document.paths['/api/v1/kv/audit'].get;
      const verify = document.paths['/api/v1/kv/audit/verify'].get;
      expect([list.tags, verify.tags]).toEqual([['audit'], ['audit']]);
      expect(list.responses['200'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/AuditPage');
      expect(verify.responses['200'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/AuditVerifyResult');
      expect(list.parameters.map((parameter) => parameter.name).sort()).toEqual([
        'action',
        'cursor',
        'from',
        'keyPath',
        'limit',
        'namespaceId',
        'success',
        'to',
        'userId',
      ]);
      expect(list.responses['400'].description).toContain(ErrorCode.INVALID_CURSOR);
      expect(verify.responses['403'].description).toContain(ErrorCode.FORBIDDEN);
      expect(verify.security).toEqual([{ bearer: [] }]);
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
