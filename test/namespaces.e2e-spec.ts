import { Client } from 'pg';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';

describe('namespaces', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await tokenFor();
  });

  it('creates a namespace with an id and timestamps', async () => {
    const applicationId = uniqueName('app');
    const response = await call('POST', '/namespaces', {
      token: admin,
      body: { name: 'billing', description: 'Billing settings', applicationId, defaultTtlSeconds: 3600 },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'billing',
      description: 'Billing settings',
      applicationId,
      isSecretNamespace: false,
      defaultTtlSeconds: 3600,
    });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(response.body.createdAt)).not.toBeNaN();
    expect(response.body.updatedAt).toBe(response.body.createdAt);
  });

  it('keeps names unique within an application only', async () => {
    const applicationId = uniqueName('app');
    await createNamespace(admin, { name: 'shared', applicationId });
    const duplicate = await call('POST', '/namespaces', { token: admin, body: { name: 'shared', applicationId } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'NAMESPACE_EXISTS' });
    const elsewhere = await call('POST', '/namespaces', { token: admin, body: { name: 'shared', applicationId: uniqueName('app') } });
    expect(elsewhere.status).toBe(201);
  });

  it.each([
    [{ name: '', applicationId: 'a' }],
    [{ name: 'x'.repeat(64), applicationId: 'a' }],
    [{ name: 'has space', applicationId: 'a' }],
    [{ name: 'ok' }],
    [{ name: 'ok', applicationId: 'a', isSecretNamespace: 'yes' }],
    [{ name: 'ok', applicationId: 'a', defaultTtlSeconds: 0 }],
    [{ name: 'ok', applicationId: 'a', unexpected: 1 }],
  ])('refuses an invalid body %j with VALIDATION_FAILED', async (body) => {
    const response = await call('POST', '/namespaces', { token: admin, body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(typeof response.body.message).toBe('string');
  });

  it('refuses malformed JSON with a JSON error', async () => {
    const response = await call('POST', '/namespaces', {
      token: admin,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('gets a namespace by id, and answers 404 for an unknown or malformed id', async () => {
    const namespace = await createNamespace(admin);
    const found = await call('GET', `/namespaces/${namespace.id}`, { token: admin });
    expect(found.status).toBe(200);
    expect(found.body).toEqual(expect.objectContaining({ id: namespace.id, name: namespace.name }));

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await call('GET', `/namespaces/${id}`, { token: admin });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NAMESPACE_NOT_FOUND' });
    }
  });

  it('updates name, description and default TTL, but never the kind or the application', async () => {
    const namespace = await createNamespace(admin, { description: 'old' });
    const renamed = uniqueName('renamed');
    const updated = await call('PUT', `/namespaces/${namespace.id}`, {
      token: admin,
      body: { name: renamed, applicationId: namespace.applicationId, description: 'new', defaultTtlSeconds: 60 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: namespace.id, name: renamed, description: 'new', defaultTtlSeconds: 60 });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(updated.body.createdAt));

    const kind = await call('PUT', `/namespaces/${namespace.id}`, {
      token: admin,
      body: { name: renamed, applicationId: namespace.applicationId, isSecretNamespace: true },
    });
    expect(kind.status).toBe(400);
    expect(kind.body.code).toBe('NAMESPACE_KIND_IMMUTABLE');

    const moved = await call('PUT', `/namespaces/${namespace.id}`, {
      token: admin,
      body: { name: renamed, applicationId: uniqueName('app') },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.code).toBe('APPLICATION_IMMUTABLE');

    const unchanged = await call('GET', `/namespaces/${namespace.id}`, { token: admin });
    expect(unchanged.body).toMatchObject({ name: renamed, isSecretNamespace: false, applicationId: namespace.applicationId });
  });

  it('refuses a rename onto a taken name', async () => {
    const applicationId = uniqueName('app');
    await createNamespace(admin, { name: 'taken', applicationId });
    const other = await createNamespace(admin, { name: 'free', applicationId });
    const response = await call('PUT', `/namespaces/${other.id}`, { token: admin, body: { name: 'taken', applicationId } });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('NAMESPACE_EXISTS');
  });

  it('lists the namespaces of an application in pages', async () => {
    const applicationId = uniqueName('app');
    const names = ['a-one', 'b-two', 'c-three', 'd-four', 'e-five'];
    for (const name of [...names].reverse()) await createNamespace(admin, { name, applicationId });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `applicationId=${applicationId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call('GET', `/namespaces?${query}`, { token: admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { name: string }) => item.name));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it('refuses a bad cursor and an out-of-range limit', async () => {
    const badCursor = await call('GET', '/namespaces?cursor=garbage!!', { token: admin });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
    const badLimit = await call('GET', '/namespaces?limit=1001', { token: admin });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.code).toBe('VALIDATION_FAILED');
  });

  it('deletes a namespace and its entries', async () => {
    const namespace = await createNamespace(admin);
    const put = await call('PUT', `/${namespace.id}/entries/config/a`, { token: admin, body: { value: 'x', valueType: 'STRING' } });
    expect(put.status).toBe(201);

    const deleted = await call('DELETE', `/namespaces/${namespace.id}`, { token: admin });
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/namespaces/${namespace.id}`, { token: admin })).status).toBe(404);
    expect((await call('GET', `/${namespace.id}/entries/config/a`, { token: admin })).body.code).toBe('NAMESPACE_NOT_FOUND');
    expect((await call('DELETE', `/namespaces/${namespace.id}`, { token: admin })).status).toBe(404);

    const db = new Client({ connectionString: platformState().databaseUrls['kv-entry'] });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM entry WHERE namespace_id = $1', [namespace.id]);
      expect(rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });
});
