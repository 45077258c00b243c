import { queryDatabase } from './support/scratch-database';
import { call, createNamespace, platformState, tokenFor, useNamespace } from './support/api';
import { anAdmin, aPrincipal } from './support/principals';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const querySecretsDb = <T>(sql: string, parameters: unknown[]) => queryDatabase<T>(platformState().databaseUrls.secrets!, sql, parameters);

describe('secret namespaces', () => {
  const ns = useNamespace({ isSecretNamespace: true }, anAdmin({ id: 'secret-admin' }));

  const put = (key: string, body: Record<string, unknown>, namespace = ns.id) =>
    call('PUT', `/${namespace}/entries/${key}`, { token: ns.admin, body });
  const get = (key: string, namespace = ns.id) => call('GET', `/${namespace}/entries/${key}`, { token: ns.admin });
  const bulk = (op: 'get' | 'set' | 'delete', body: unknown) => call('POST', `/${ns.id}/bulk/${op}`, { token: ns.admin, body });

  it('serves the same entry API as plain namespaces', async () => {
    const created = await put('db/password', { value: 's3cr3t-value', valueType: 'STRING', metadata: { rotatedBy: 'ops' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      namespaceId: ns.id,
      keyPath: 'db/password',
      value: 's3cr3t-value',
      valueType: 'STRING',
      version: 1,
      metadata: { rotatedBy: 'ops' },
    });
    const updated = await put('db/password', { value: 'next-value', valueType: 'STRING', expectedVersion: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect((await get('db/password')).body).toMatchObject({ value: 'next-value', version: 2 });

    const stale = await put('db/password', { value: 'lost', valueType: 'STRING', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');

    for (const [valueType, value] of [
      ['JSON', { user: 'app', pass: 'x' }],
      ['NUMBER', 5432],
      ['BOOLEAN', true],
      ['BINARY', 'AAEC/w=='],
      ['DATE', '2030-01-01'],
    ] as const) {
      expect((await put(`typed/${valueType}`, { value, valueType })).status).toBe(201);
      expect((await get(`typed/${valueType}`)).body).toMatchObject({ value, valueType });
    }
    expect((await put('typed/bad', { value: 'x', valueType: 'NUMBER' })).body.code).toBe('INVALID_VALUE');

    const list = await call('GET', `/${ns.id}/entries?prefix=typed/&limit=2`, { token: ns.admin });
    expect(list.body.items.map((item: { keyPath: string }) => item.keyPath)).toEqual(['typed/BINARY', 'typed/BOOLEAN']);
    expect(list.body.nextCursor).toEqual(expect.any(String));

    const bulkSet = await bulk('set', {
      entries: [
        { key: 'bulk/a', value: 'A', valueType: 'STRING' },
        { key: 'bulk/b', value: 'B', valueType: 'STRING' },
      ],
    });
    expect(bulkSet.status).toBe(200);
    const bulkGet = await bulk('get', { keys: ['bulk/a', 'bulk/b', 'bulk/c'] });
    expect(bulkGet.body.items.map((item: { value: string }) => item.value)).toEqual(['A', 'B']);
    expect(bulkGet.body.missing).toEqual(['bulk/c']);
    const failed = await bulk('set', {
      entries: [
        { key: 'bulk/c', value: 'C', valueType: 'STRING' },
        { key: 'bulk/d', value: 'x', valueType: 'DATE' },
      ],
    });
    expect(failed.status).toBe(400);
    expect((await get('bulk/c')).status).toBe(404);
    expect((await bulk('delete', { keys: ['bulk/a', 'bulk/c'] })).body).toEqual({
      deleted: ['bulk/a'],
      missing: ['bulk/c'],
    });
    expect((await call('DELETE', `/${ns.id}/entries/bulk/b`, { token: ns.admin })).status).toBe(204);
    expect((await get('bulk/b')).status).toBe(404);
  });

  it('keeps every change as a version; rotation and rollback append to the history', async () => {
    await put('api/key', { value: 'first', valueType: 'STRING' });
    await put('api/key', { value: 'second', valueType: 'STRING' });

    const rotated = await call('POST', `/${ns.id}/entries/api/key/rotate`, {
      token: ns.admin,
      body: { value: 'third', reason: 'quarterly' },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ value: 'third', version: 3, valueType: 'STRING' });

    const generated = await call('POST', `/${ns.id}/entries/api/key/rotate`, { token: ns.admin, body: { length: 40, alphabet: 'hex' } });
    expect(generated.status).toBe(200);
    expect(generated.body.version).toBe(4);
    expect(generated.body.value).toMatch(/^[0-9a-f]{40}$/);
    expect((await get('api/key')).body.value).toBe(generated.body.value);

    const rolledBack = await call('POST', `/${ns.id}/entries/api/key/rollback`, {
      token: ns.admin,
      body: { version: 2, reason: 'bad rotation' },
    });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ value: 'second', version: 5 });

    const history = await call('GET', `/${ns.id}/entries/api/key/versions`, { token: ns.admin });
    expect(history.status).toBe(200);
    expect(history.body.items.map((item: { version: number; change: string }) => [item.version, item.change])).toEqual([
      [5, 'ROLLBACK'],
      [4, 'ROTATION'],
      [3, 'ROTATION'],
      [2, 'UPDATE'],
      [1, 'CREATE'],
    ]);
    expect(history.body.items[0]).toMatchObject({ restoredFrom: 2, reason: 'bad rotation', actorId: 'secret-admin' });
    expect(history.body.items[2].reason).toBe('quarterly');
    expect(JSON.stringify(history.body)).not.toMatch(/first|second|third/);

    const page = await call('GET', `/${ns.id}/entries/api/key/versions?limit=2`, { token: ns.admin });
    expect(page.body.items.map((item: { version: number }) => item.version)).toEqual([5, 4]);
    const next = await call('GET', `/${ns.id}/entries/api/key/versions?limit=2&cursor=${page.body.nextCursor}`, { token: ns.admin });
    expect(next.body.items.map((item: { version: number }) => item.version)).toEqual([3, 2]);

    const old = await call('GET', `/${ns.id}/entries/api/key?version=1`, { token: ns.admin });
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ value: 'first', version: 1 });
    expect((await call('GET', `/${ns.id}/entries/api/key?version=99`, { token: ns.admin })).body.code).toBe('VERSION_NOT_FOUND');
    expect((await call('POST', `/${ns.id}/entries/api/key/rollback`, { token: ns.admin, body: { version: 99 } })).body.code).toBe(
      'VERSION_NOT_FOUND',
    );
    expect((await call('POST', `/${ns.id}/entries/missing/rotate`, { token: ns.admin, body: {} })).body.code).toBe('ENTRY_NOT_FOUND');
    for (const response of [
      await call('GET', `/${ns.id}/entries/api/key?version=2147483648`, { token: ns.admin }),
      await call('POST', `/${ns.id}/entries/api/key/rollback`, { token: ns.admin, body: { version: 1e21 } }),
      await call('GET', `/${ns.id}/entries/api/key/versions?cursor=WyI5OTk5OTk5OTk5OTkiXQ`, { token: ns.admin }),
    ]) {
      expect(response.status).toBe(400);
      expect(['VALIDATION_FAILED', 'INVALID_CURSOR']).toContain(response.body.code);
    }
  });

  it('needs kv-secret:rotate to rotate or roll back, and kv-secret:versions to read an old value', async () => {
    await put('perm/key', { value: 'v1', valueType: 'STRING' });
    await put('perm/key', { value: 'v2', valueType: 'STRING' });
    const reader = await tokenFor(aPrincipal(['kv-entry:*', 'kv-namespace:read'], { id: 'reader', applications: [ns.applicationId] }));
    for (const [path, body] of [
      ['rotate', {}],
      ['rollback', { version: 1 }],
    ] as const) {
      const denied = await call('POST', `/${ns.id}/entries/perm/key/${path}`, { token: reader, body });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain('kv-secret:rotate');
    }
    const oldValue = await call('GET', `/${ns.id}/entries/perm/key?version=1`, { token: reader });
    expect(oldValue.status).toBe(403);
    expect(oldValue.body.message).toContain('kv-secret:versions');
    expect((await call('GET', `/${ns.id}/entries/perm/key/versions`, { token: reader })).status).toBe(200);

    const rotator = await tokenFor(aPrincipal(['kv-secret:rotate'], { id: 'rotator', applications: [ns.applicationId] }));
    expect((await call('POST', `/${ns.id}/entries/perm/key/rotate`, { token: rotator, body: {} })).status).toBe(200);
    const auditor = await tokenFor(aPrincipal(['kv-secret:versions'], { id: 'auditor', applications: [ns.applicationId] }));
    expect((await call('GET', `/${ns.id}/entries/perm/key?version=1`, { token: auditor })).body.value).toBe('v1');
    const outsider = await tokenFor(anAdmin({ id: 'outsider', applications: ['another-app'] }));
    expect((await call('GET', `/${ns.id}/entries/perm/key`, { token: outsider })).status).toBe(404);
  });

  it('answers NOT_A_SECRET_NAMESPACE for rotate, rollback and versions on a plain namespace', async () => {
    const plain = (await createNamespace(ns.admin, { applicationId: ns.applicationId })).id;
    await put('k', { value: 'v', valueType: 'STRING' }, plain);
    for (const response of [
      await call('POST', `/${plain}/entries/k/rotate`, { token: ns.admin, body: {} }),
      await call('POST', `/${plain}/entries/k/rollback`, { token: ns.admin, body: { version: 1 } }),
      await call('GET', `/${plain}/entries/k/versions`, { token: ns.admin }),
      await call('GET', `/${plain}/entries/k?version=1`, { token: ns.admin }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('NOT_A_SECRET_NAMESPACE');
    }
  });

  it('prunes the oldest versions beyond the namespace cap', async () => {
    const capped = (await createNamespace(ns.admin, { applicationId: ns.applicationId, isSecretNamespace: true, maxSecretVersions: 3 })).id;
    for (let i = 1; i <= 5; i++) expect((await put('c', { value: `v${i}`, valueType: 'STRING' }, capped)).body.version).toBe(i);
    const history = await call('GET', `/${capped}/entries/c/versions`, { token: ns.admin });
    expect(history.body.items.map((item: { version: number }) => item.version)).toEqual([5, 4, 3]);
    expect((await call('POST', `/${capped}/entries/c/rollback`, { token: ns.admin, body: { version: 1 } })).body.code).toBe(
      'VERSION_NOT_FOUND',
    );
    expect((await call('POST', `/${capped}/entries/c/rollback`, { token: ns.admin, body: { version: 3 } })).body).toMatchObject({
      value: 'v3',
      version: 6,
    });
  });

  it('refuses a ciphertext swapped onto another row instead of yielding its value', async () => {
    await put('swap/a', { value: 'value-of-a', valueType: 'STRING' });
    await put('swap/b', { value: 'value-of-b', valueType: 'STRING' });
    await querySecretsDb(
      `UPDATE secret_version SET ciphertext = (
         SELECT v.ciphertext FROM secret_version v JOIN secret_entry e ON e.id = v.entry_id WHERE e.namespace_id = $1 AND e.key_path = 'swap/a')
       WHERE entry_id = (SELECT id FROM secret_entry WHERE namespace_id = $1 AND key_path = 'swap/b')`,
      [ns.id],
    );
    const read = await get('swap/b');
    expect(read.status).toBe(500);
    expect(read.body.code).toBe('DECRYPTION_FAILED');
    expect(JSON.stringify(read.body)).not.toContain('value-of-a');
    expect((await get('swap/a')).body.value).toBe('value-of-a');
  });

  it('lets exactly one of many concurrent writers with the same expected version win', async () => {
    await put('race', { value: 'v0', valueType: 'STRING' });
    const statuses = (
      await Promise.all(Array.from({ length: 20 }, (_, i) => put('race', { value: `w${i}`, valueType: 'STRING', expectedVersion: 1 })))
    ).map((r) => r.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect((await call('GET', `/${ns.id}/entries/race/versions`, { token: ns.admin })).body.items).toHaveLength(2);
  });

  it('expires secrets like plain entries', async () => {
    await put('ttl/secret', { value: 'short-lived', valueType: 'STRING', ttlSeconds: 1 });
    expect((await get('ttl/secret')).status).toBe(200);
    await sleep(1300);
    expect((await get('ttl/secret')).status).toBe(404);
  });

  it('deleting a secret namespace purges its secrets', async () => {
    const doomed = (await createNamespace(ns.admin, { applicationId: ns.applicationId, isSecretNamespace: true })).id;
    await put('x', { value: 'purge-me', valueType: 'STRING' }, doomed);
    expect((await call('DELETE', `/namespaces/${doomed}`, { token: ns.admin })).status).toBe(204);
    expect((await get('x', doomed)).body.code).toBe('NAMESPACE_NOT_FOUND');
    const rows = await querySecretsDb<{ n: number }>('SELECT count(*)::int AS n FROM secret_entry WHERE namespace_id = $1', [doomed]);
    expect(rows[0]!.n).toBe(0);
  });
});
