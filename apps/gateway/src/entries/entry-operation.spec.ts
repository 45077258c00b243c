import Fastify, { FastifyInstance } from 'fastify';
import {
  ENTRY_OPERATION_CONSTRAINT,
  EntryOperation,
  entryOperationOf,
  isSuffixOperation,
  registerEntryOperationRouting,
} from './entry-operation';

const BASE = '/api/v1/kv/ns-1/entries';

describe('isSuffixOperation', () => {
  it('is true of the operations a last path segment names, false of those a query names', () => {
    expect([EntryOperation.ROTATE, EntryOperation.ROLLBACK, EntryOperation.VERSIONS].every(isSuffixOperation)).toBe(true);
    expect([EntryOperation.READ_VERSION, EntryOperation.LIST_KEYS, undefined].some(isSuffixOperation)).toBe(false);
  });
});

describe('entryOperationOf', () => {
  it.each([
    ['POST', `${BASE}/a/b/rotate`, EntryOperation.ROTATE],
    ['POST', `${BASE}/a/rollback`, EntryOperation.ROLLBACK],
    ['POST', `${BASE}/a/rotate?x=1`, EntryOperation.ROTATE],
    ['GET', `${BASE}/a/b/versions`, EntryOperation.VERSIONS],
    ['GET', `${BASE}/a/versions?limit=2&cursor=c`, EntryOperation.VERSIONS],
    ['HEAD', `${BASE}/a/versions`, EntryOperation.VERSIONS],
    ['GET', `${BASE}/a?version=2`, EntryOperation.READ_VERSION],
    ['GET', `${BASE}/a?other=1&version=`, EntryOperation.READ_VERSION],
    ['GET', `${BASE}/a/rotate?version=2`, EntryOperation.READ_VERSION],
    // A key that contains "entries" is still one key.
    ['GET', `${BASE}/x/entries/y/versions`, EntryOperation.VERSIONS],
    ['GET', `${BASE}?values=false`, EntryOperation.LIST_KEYS],
    ['GET', `${BASE}?prefix=a/&values=false&delimiter=/`, EntryOperation.LIST_KEYS],
    ['HEAD', `${BASE}/?values=false`, EntryOperation.LIST_KEYS],
    // Named at all, it goes to the keys-only route, whose validation refuses the contradiction.
    ['GET', `${BASE}?values=true&values=false`, EntryOperation.LIST_KEYS],
  ])('%s %s names %s', (method, url, operation) => {
    expect(entryOperationOf(method, url)).toBe(operation);
  });

  it.each([
    ['GET', `${BASE}/a`, 'a plain read'],
    ['GET', `${BASE}/versions`, 'the key "versions" (no key before the suffix)'],
    ['GET', `${BASE}//versions`, 'an empty key before the suffix'],
    ['POST', `${BASE}/rotate`, 'a POST without a key'],
    ['POST', `${BASE}/a/other`, 'a POST with another suffix'],
    ['POST', `${BASE}/a%2Frotate`, 'an encoded slash before the suffix'],
    ['GET', `${BASE}/a/rotate`, 'a read of a key ending in /rotate'],
    ['PUT', `${BASE}/a/versions`, 'a write (the key rules refuse it later)'],
    ['DELETE', `${BASE}/a?version=2`, 'a delete with a version query'],
    ['GET', `${BASE}/a/versions/`, 'a trailing slash'],
    ['GET', '/api/v1/kv/namespaces/a/versions', 'another route'],
    ['GET', '/api/v1/kv/ns-1/bulk/a/versions', 'another route under a namespace'],
    ['__proto__', `${BASE}/a/rotate`, 'an odd method'],
    ['GET', BASE, 'a list with values'],
    ['GET', `${BASE}?values=true&delimiter=/`, 'a list with values, explicitly'],
    ['GET', `${BASE}?values=FALSE`, 'a list whose values query is no boolean (validation refuses it)'],
    ['DELETE', `${BASE}?values=false`, 'a delete of the list'],
    ['GET', `${BASE}/a?values=false`, 'a read of one entry'],
  ])('%s %s names nothing (%s)', (method, url) => {
    expect(entryOperationOf(method, url)).toBeUndefined();
  });
});

describe('entry operation routing (Fastify)', () => {
  let fastify: FastifyInstance;
  const routes: string[] = [];

  beforeAll(async () => {
    fastify = Fastify();
    registerEntryOperationRouting(fastify);
    fastify.addHook('onRoute', (route) => {
      routes.push(`${[route.method].flat().join(',')} ${route.url} ${JSON.stringify(route.constraints ?? {})}`);
    });
    const answer = (name: string) => (request: { params: unknown }) => ({ name, params: request.params });
    fastify.get(BASE.replace('ns-1', ':nsId'), answer('list'));
    fastify.route({
      method: 'GET',
      url: BASE.replace('ns-1', ':nsId'),
      constraints: { [ENTRY_OPERATION_CONSTRAINT]: EntryOperation.LIST_KEYS },
      handler: answer('list-keys'),
    });
    fastify.get(`${BASE.replace('ns-1', ':nsId')}/*`, answer('read'));
    fastify.route({
      method: 'GET',
      url: `${BASE.replace('ns-1', ':nsId')}/*`,
      constraints: { [ENTRY_OPERATION_CONSTRAINT]: EntryOperation.READ_VERSION },
      handler: answer('read-version'),
    });
    fastify.get(`${BASE.replace('ns-1', ':nsId')}/*/versions`, answer('versions'));
    fastify.put(`${BASE.replace('ns-1', ':nsId')}/*`, answer('put'));
    fastify.post(`${BASE.replace('ns-1', ':nsId')}/*/rotate`, answer('rotate'));
    fastify.post(`${BASE.replace('ns-1', ':nsId')}/*/rollback`, answer('rollback'));
    await fastify.ready();
  });

  afterAll(() => fastify.close());

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'HEAD', url: string) => {
    const response = await fastify.inject({ method, url });
    return response.statusCode === 200 && method !== 'HEAD'
      ? (response.json() as { name: string; params: Record<string, string> })
      : response.statusCode;
  };

  it('registers a suffixed route as the bare wildcard, constrained to its operation', () => {
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/kv/:nsId/entries/* {"entryOperation":"rotate"}',
        'POST /api/v1/kv/:nsId/entries/* {"entryOperation":"rollback"}',
        'GET /api/v1/kv/:nsId/entries/* {"entryOperation":"versions"}',
        'HEAD /api/v1/kv/:nsId/entries/* {"entryOperation":"versions"}',
      ]),
    );
  });

  it('sends each operation to its own route, with the wildcard decoded once', async () => {
    expect(await call('POST', `${BASE}/a%2Fb/c/rotate`)).toEqual({ name: 'rotate', params: { nsId: 'ns-1', '*': 'a/b/c/rotate' } });
    expect(await call('POST', `${BASE}/a/rollback`)).toMatchObject({ name: 'rollback' });
    expect(await call('GET', `${BASE}/a/versions?limit=1`)).toEqual({ name: 'versions', params: { nsId: 'ns-1', '*': 'a/versions' } });
    expect(await call('GET', `${BASE}/a?version=3`)).toEqual({ name: 'read-version', params: { nsId: 'ns-1', '*': 'a' } });
    expect(await call('HEAD', `${BASE}/a/versions`)).toBe(200);
    expect(await call('GET', `${BASE}?values=false&delimiter=/`)).toMatchObject({ name: 'list-keys' });
  });

  it('leaves everything else to the plain routes', async () => {
    expect(await call('GET', `${BASE}/a/b`)).toMatchObject({ name: 'read', params: { '*': 'a/b' } });
    expect(await call('GET', `${BASE}/versions`)).toMatchObject({ name: 'read', params: { '*': 'versions' } });
    expect(await call('GET', `${BASE}/a/rotate`)).toMatchObject({ name: 'read', params: { '*': 'a/rotate' } });
    expect(await call('GET', `${BASE}/a%2Fversions`)).toMatchObject({ name: 'read', params: { '*': 'a/versions' } });
    expect(await call('PUT', `${BASE}/a/versions`)).toMatchObject({ name: 'put', params: { '*': 'a/versions' } });
    expect(await call('PUT', `${BASE}/a/rotate`)).toMatchObject({ name: 'put' });
    expect(await call('GET', `${BASE}?values=true`)).toMatchObject({ name: 'list' });
    expect(await call('GET', `${BASE}/a?values=false`)).toMatchObject({ name: 'read' });
  });

  it('serves no other POST on an entry', async () => {
    expect(await call('POST', `${BASE}/a/other`)).toBe(404);
    expect(await call('POST', `${BASE}/a`)).toBe(404);
    expect(await call('POST', `${BASE}/rotate`)).toBe(404);
    expect(await call('POST', `${BASE}/a%2Frotate`)).toBe(404);
  });

  it('refuses at start-up a segment after a wildcard that is no operation of the method', () => {
    const other = Fastify();
    registerEntryOperationRouting(other);
    expect(() => other.post('/x/*/explode', () => 'no')).toThrow('"explode" is not an entry operation of POST');
    expect(() => other.delete('/x/*/rotate', () => 'no')).toThrow('"rotate" is not an entry operation of DELETE');
    expect(() =>
      other.route({ method: 'GET', url: '/y/*', constraints: { [ENTRY_OPERATION_CONSTRAINT]: 'nope' }, handler: () => 'no' }),
    ).toThrow('unknown entry operation nope');
  });
});
