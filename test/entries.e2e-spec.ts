import { Client } from 'pg';
import { call, callVerbatim, createNamespace, platformState, useNamespace } from './support/api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('entries', () => {
  const ns = useNamespace();

  const put = (key: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    call('PUT', `/${ns.id}/entries/${key}`, { token: ns.admin, body, headers });
  const get = (key: string) => call('GET', `/${ns.id}/entries/${key}`, { token: ns.admin });

  it('creates with 201 and version 1, updates with 200 and the next version', async () => {
    const created = await put('config/database/host', { value: 'db.internal', valueType: 'STRING', metadata: { owner: 'team-a' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      namespaceId: ns.id,
      keyPath: 'config/database/host',
      value: 'db.internal',
      valueType: 'STRING',
      version: 1,
      metadata: { owner: 'team-a' },
      expiresAt: null,
    });

    const updated = await put('config/database/host', { value: 'db2.internal', valueType: 'STRING' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, value: 'db2.internal', version: 2 });

    const read = await get('config/database/host');
    expect(read.status).toBe(200);
    expect(Object.keys(read.body).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'keyPath',
      'metadata',
      'namespaceId',
      'updatedAt',
      'value',
      'valueType',
      'version',
    ]);
    expect(read.body).toMatchObject({ value: 'db2.internal', version: 2, createdAt: created.body.createdAt });
  });

  it.each([
    ['STRING', 'plain text'],
    ['JSON', { pool: { min: 1, max: 10 }, hosts: ['a', 'b'], enabled: true, none: null }],
    ['JSON', [1, 'two', 3.5]],
    ['NUMBER', 42.5],
    ['NUMBER', -7],
    ['BOOLEAN', false],
    ['BINARY', Buffer.from([0, 1, 2, 250, 255]).toString('base64')],
    ['DATETIME', '2024-05-01T12:30:00.250+02:00'],
    ['DATE', '2024-02-29'],
    ['DURATION', 'P1DT2H30M'],
  ])('round-trips a %s value as the same JSON type', async (valueType, value) => {
    const key = `types/${valueType.toLowerCase()}/${Math.random().toString(36).slice(2)}`;
    expect((await put(key, { value, valueType })).status).toBe(201);
    const read = await get(key);
    expect(read.body.valueType).toBe(valueType);
    expect(read.body.value).toEqual(value);
  });

  it.each([
    ['NUMBER', '42'],
    ['BOOLEAN', 'true'],
    ['BINARY', 'not base64!'],
    ['DATE', '2023-02-29'],
    ['DATETIME', '2024-05-01 12:00'],
    ['DURATION', '5 minutes'],
    ['STRING', 12],
    ['STRING', 'nul\u0000inside'],
  ])('refuses a %s value that does not match its type (%j)', async (valueType, value) => {
    const response = await put('types/bad', { value, valueType });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'INVALID_VALUE' });
    expect((await get('types/bad')).status).toBe(404);
  });

  it('refuses an unknown value type and a missing value', async () => {
    expect((await put('types/x', { value: 1, valueType: 'INTEGER' })).body.code).toBe('VALIDATION_FAILED');
    expect((await put('types/x', { valueType: 'STRING' })).body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['a//b', 'empty segment'],
    ['a/%2E/b', 'dot segment'],
    ['a/%2E%2E/b', 'dot-dot segment'],
    ['a/./b', 'literal dot segment'],
    ['a/../b', 'literal dot-dot segment'],
    ['..', 'lone dot-dot'],
    ['config/versions', 'reserved last segment'],
    ['%2Fleading', 'leading slash'],
    ['trailing%2F', 'trailing slash'],
    ['ctl%01char', 'control character'],
    ['x'.repeat(513), 'over 512 bytes'],
  ])('refuses key %s (%s) with INVALID_KEY', async (key) => {
    const response = await callVerbatim('PUT', `/${ns.id}/entries/${key}`, ns.admin, { value: 'v', valueType: 'STRING' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_KEY');
  });

  it('percent-decodes the key exactly once', async () => {
    expect((await put('enc/a%2Fb', { value: 1, valueType: 'NUMBER' })).body.keyPath).toBe('enc/a/b');
    expect((await get('enc/a/b')).body.value).toBe(1);
    expect((await put('enc/x%252Fy', { value: 2, valueType: 'NUMBER' })).body.keyPath).toBe('enc/x%2Fy');
    expect((await put('enc/%C3%BCber%20space', { value: 3, valueType: 'NUMBER' })).body.keyPath).toBe('enc/über space');
  });

  it('answers 404 ENTRY_NOT_FOUND for a missing entry and a namespace 404 for a missing namespace', async () => {
    const missing = await get('does/not/exist');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'ENTRY_NOT_FOUND' });
    const noNamespace = await call('GET', '/00000000-0000-4000-8000-000000000000/entries/a', { token: ns.admin });
    expect(noNamespace.status).toBe(404);
    expect(noNamespace.body.code).toBe('NAMESPACE_NOT_FOUND');
  });

  it('deletes with 204, then 404', async () => {
    await put('to/delete', { value: true, valueType: 'BOOLEAN' });
    expect((await call('DELETE', `/${ns.id}/entries/to/delete`, { token: ns.admin })).status).toBe(204);
    expect((await get('to/delete')).status).toBe(404);
    const again = await call('DELETE', `/${ns.id}/entries/to/delete`, { token: ns.admin });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('ENTRY_NOT_FOUND');
  });

  it('refuses a value over the size limit with 413 VALUE_TOO_LARGE, and oversized metadata with 400', async () => {
    const tooLarge = await put('big/value', { value: 'x'.repeat(1024 * 1024), valueType: 'STRING' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('VALUE_TOO_LARGE');
    const justRight = await put('big/value', { value: 'x'.repeat(1024 * 1024 - 2), valueType: 'STRING' });
    expect(justRight.status).toBe(201);

    const metadata = await put('big/meta', { value: 1, valueType: 'NUMBER', metadata: { blob: 'm'.repeat(17 * 1024) } });
    expect(metadata.status).toBe(400);
    expect(metadata.body.code).toBe('VALIDATION_FAILED');
    const notObject = await put('big/meta', { value: 1, valueType: 'NUMBER', metadata: ['a'] });
    expect(notObject.status).toBe(400);
  });

  describe('conditional writes', () => {
    it('writes only when expectedVersion matches, and a mismatch changes nothing', async () => {
      await put('cas/a', { value: 'v1', valueType: 'STRING' });
      const stale = await put('cas/a', { value: 'lost', valueType: 'STRING', expectedVersion: 7 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      expect((await get('cas/a')).body).toMatchObject({ value: 'v1', version: 1 });

      const fresh = await put('cas/a', { value: 'v2', valueType: 'STRING', expectedVersion: 1 });
      expect(fresh.status).toBe(200);
      expect(fresh.body.version).toBe(2);
    });

    it('takes the expected version from If-Match too', async () => {
      await put('cas/b', { value: 1, valueType: 'NUMBER' });
      expect((await put('cas/b', { value: 2, valueType: 'NUMBER' }, { 'if-match': '"5"' })).status).toBe(409);
      expect((await put('cas/b', { value: 2, valueType: 'NUMBER' }, { 'if-match': '"1"' })).status).toBe(200);
    });

    it('expectedVersion 0 creates only when absent', async () => {
      expect((await put('cas/new', { value: 1, valueType: 'NUMBER', expectedVersion: 0 })).status).toBe(201);
      const second = await put('cas/new', { value: 2, valueType: 'NUMBER', expectedVersion: 0 });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('VERSION_CONFLICT');
    });

    it('lets exactly one of many concurrent writers with the same expected version win', async () => {
      await put('cas/race', { value: 0, valueType: 'NUMBER' });
      const writers = Array.from({ length: 25 }, (_, i) => put('cas/race', { value: i + 1, valueType: 'NUMBER', expectedVersion: 1 }));
      const statuses = (await Promise.all(writers)).map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(24);
      expect((await get('cas/race')).body.version).toBe(2);
    });
  });

  describe('TTL', () => {
    it('hides an expired entry from every read at once, and the sweep deletes it', async () => {
      const created = await put('ttl/short', { value: 'soon gone', valueType: 'STRING', ttlSeconds: 1 });
      expect(created.status).toBe(201);
      // expiresAt is computed by the service when it takes the write, updatedAt by Postgres a moment later.
      const ttlMs = Date.parse(created.body.expiresAt) - Date.parse(created.body.updatedAt);
      expect(ttlMs).toBeGreaterThan(900);
      expect(ttlMs).toBeLessThanOrEqual(1000);
      expect((await get('ttl/short')).status).toBe(200);

      await sleep(1300);
      expect((await get('ttl/short')).status).toBe(404);
      const listed = await call('GET', `/${ns.id}/entries?prefix=ttl/`, { token: ns.admin });
      expect(listed.body.items.map((item: { keyPath: string }) => item.keyPath)).not.toContain('ttl/short');
      const bulk = await call('POST', `/${ns.id}/bulk/get`, { token: ns.admin, body: { keys: ['ttl/short'] } });
      expect(bulk.body).toEqual({ items: [], missing: ['ttl/short'] });

      const rewritten = await put('ttl/short', { value: 'back', valueType: 'STRING' });
      expect(rewritten.status).toBe(201);
      expect(rewritten.body.version).toBe(1);
    });

    it('applies the namespace default TTL when the write gives none', async () => {
      const withDefault = await createNamespace(ns.admin, { defaultTtlSeconds: 120 });
      const created = await call('PUT', `/${withDefault.id}/entries/k`, { token: ns.admin, body: { value: 1, valueType: 'NUMBER' } });
      const ttlMs = Date.parse(created.body.expiresAt) - Date.parse(created.body.updatedAt);
      expect(ttlMs).toBeGreaterThanOrEqual(119_000);
      expect(ttlMs).toBeLessThanOrEqual(121_000);
      const explicit = await call('PUT', `/${withDefault.id}/entries/k2`, {
        token: ns.admin,
        body: { value: 1, valueType: 'NUMBER', ttlSeconds: 5 },
      });
      expect(Date.parse(explicit.body.expiresAt) - Date.parse(explicit.body.updatedAt)).toBeLessThanOrEqual(6000);
    });

    it('sweeps expired rows out of the database', async () => {
      await put('ttl/swept', { value: 'x', valueType: 'STRING', ttlSeconds: 1 });
      const db = new Client({ connectionString: platformState().databaseUrls['kv-entry'] });
      await db.connect();
      try {
        const count = async () =>
          (await db.query('SELECT count(*)::int AS n FROM entry WHERE namespace_id = $1 AND key_path = $2', [ns.id, 'ttl/swept'])).rows[0]
            .n as number;
        expect(await count()).toBe(1);
        const deadline = Date.now() + 10_000;
        while ((await count()) > 0 && Date.now() < deadline) await sleep(250);
        expect(await count()).toBe(0);
      } finally {
        await db.end();
      }
    });
  });

  describe('listing', () => {
    let listNs: string;
    const keys = ['app/a', 'app/b', 'app/c/d', 'app/c/e', 'app_x', 'app%y', 'other/z', 'apple'];

    beforeAll(async () => {
      listNs = (await createNamespace(ns.admin)).id;
      for (const key of keys) {
        await call('PUT', `/${listNs}/entries/${encodeURIComponent(key).replace(/%2F/g, '/')}`, {
          token: ns.admin,
          body: { value: key, valueType: 'STRING' },
        });
      }
    });

    const list = (query: string) => call('GET', `/${listNs}/entries?${query}`, { token: ns.admin });

    it('lists every key in byte order', async () => {
      const all = await list('');
      expect(all.status).toBe(200);
      expect(all.body.items.map((item: { keyPath: string }) => item.keyPath)).toEqual([...keys].sort());
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items[0].value).toBe(all.body.items[0].keyPath);
    });

    it('filters by prefix, taking % and _ literally', async () => {
      const paths = async (prefix: string) =>
        (await list(`prefix=${encodeURIComponent(prefix)}`)).body.items.map((item: { keyPath: string }) => item.keyPath);
      expect(await paths('app/')).toEqual(['app/a', 'app/b', 'app/c/d', 'app/c/e']);
      expect(await paths('app/c/')).toEqual(['app/c/d', 'app/c/e']);
      expect(await paths('app_')).toEqual(['app_x']);
      expect(await paths('app%')).toEqual(['app%y']);
      expect(await paths('nothing')).toEqual([]);
    });

    it('pages with a cursor across pages without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { items: Array<{ keyPath: string }>; nextCursor: string | null } } = await list(
          `limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((item) => item.keyPath));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual([...keys].sort());
      expect(pages).toBe(3);
    });

    it('refuses a limit above 1000 or below 1, and a forged cursor', async () => {
      expect((await list('limit=1001')).body.code).toBe('VALIDATION_FAILED');
      expect((await list('limit=0')).body.code).toBe('VALIDATION_FAILED');
      const forged = await list('cursor=bm90LWpzb24');
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('INVALID_CURSOR');
    });
  });
});
