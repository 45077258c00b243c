import { EntryKeyPage, KvClient } from '@kv-service/client';
import { randomUUID } from 'node:crypto';
import { call, createNamespace, platformState, tokenFor, uniqueName, useTokens } from './support/api';
import { aPrincipal, anAdmin, anAuditor } from './support/principals';
import { eventually } from './support/workload';

/** The two calls a web console needs beyond the rest of the API: whoami, and listing keys without values, by level. */
describe('console API', () => {
  const applicationId = uniqueName('console');
  const tokens = useTokens({
    admin: anAdmin({ id: 'console-admin' }),
    auditor: anAuditor(),
    browser: aPrincipal(['kv-namespace:read'], { id: 'console-browser', applications: [applicationId] }),
  });
  const clientOf = (token: string) => new KvClient({ baseUrl: platformState().gatewayUrl, token });

  const recordsOf = async (query: string) =>
    (await call('GET', `/audit?${query}`, { token: tokens.auditor })).body.items as Array<Record<string, unknown>>;

  /** Every page of a keys-only listing, through the typed client. */
  async function everyPage(token: string, namespaceId: string, query: { prefix?: string; delimiter?: '/'; limit: number }) {
    const pages: EntryKeyPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await clientOf(token).listEntryKeys(namespaceId, { ...query, cursor });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return {
      pages,
      keys: pages.flatMap((page) => page.items.map((item) => item.keyPath)),
      folders: pages.flatMap((page) => page.folders),
    };
  }

  describe('whoami', () => {
    it("answers the token's principal, grants, applications and expiry, never the token, and is audited", async () => {
      const token = await tokenFor(
        aPrincipal(['kv-namespace:read', 'kv-entry:*'], { id: 'console-whoami', applications: [applicationId] }),
      );
      const requestId = randomUUID();
      const response = await call('GET', '/whoami', { token, headers: { 'x-request-id': requestId } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        userId: 'console-whoami',
        permissions: ['kv-namespace:read', 'kv-entry:*'],
        granted: ['kv-namespace:read', 'kv-entry:read', 'kv-entry:write', 'kv-entry:delete'].map((permission) => ({
          permission,
          allNamespaces: true,
          namespaceIds: [],
        })),
        applications: [applicationId],
        expiresAt: expect.any(String),
        expiresInSeconds: expect.any(Number),
      });
      expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
      expect(response.body.expiresInSeconds).toBeGreaterThan(0);
      expect(JSON.stringify(response.body)).not.toContain(token);
      await expect(clientOf(token).whoami()).resolves.toMatchObject({ userId: 'console-whoami' });

      const recorded = async () => (await recordsOf('userId=console-whoami&action=WHOAMI')).filter((r) => r.requestId === requestId);
      expect(await eventually(async () => (await recorded()).length === 1, 10_000)).toBe(true);
      expect((await recorded())[0]).toMatchObject({ success: true, namespaceId: null, clientAddress: expect.any(String) });
    });

    it('refuses a call without a valid token', async () => {
      expect((await call('GET', '/whoami')).status).toBe(401);
      expect((await call('GET', '/whoami', { token: 'x.y.z' })).body).toMatchObject({ code: 'UNAUTHENTICATED' });
    });
  });

  describe('listing keys without values, by level', () => {
    let plain: string;
    const bigFolders = Array.from({ length: 10 }, (_, folder) => `big/g${folder}/`);

    beforeAll(async () => {
      plain = (await createNamespace(tokens.admin, { applicationId })).id;
      // 2,500 entries in 10 folders of 250 under big/, and a few others.
      const entries = Array.from({ length: 2500 }, (_, i) => ({ key: `big/g${i % 10}/k${i}`, value: i, valueType: 'NUMBER' }));
      for (let start = 0; start < entries.length; start += 1000) {
        const written = await call('POST', `/${plain}/bulk/set`, {
          token: tokens.admin,
          body: { entries: entries.slice(start, start + 1000) },
        });
        expect(written.status).toBe(200);
      }
      for (const [key, value] of [
        ['app/db/host', 'db.internal'],
        ['app/db/port', '5432'],
        ['app/name', 'billing'],
        ['top', 'level'],
      ]) {
        const body = { value, valueType: 'STRING', metadata: { key } };
        expect((await call('PUT', `/${plain}/entries/${key}`, { token: tokens.admin, body })).status).toBe(201);
      }
    });

    it('answers keys with their type, version, expiry, metadata and times, and no value', async () => {
      const response = await call('GET', `/${plain}/entries?prefix=app/db/&values=false`, { token: tokens.browser });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-kv-revision')).toEqual(expect.any(String));
      expect(response.body.folders).toEqual([]);
      expect(response.body.items.map((item: Record<string, unknown>) => Object.keys(item).sort())).toEqual(
        Array(2).fill(['createdAt', 'expiresAt', 'id', 'keyPath', 'metadata', 'namespaceId', 'updatedAt', 'valueType', 'version']),
      );
      expect(response.body.items[0]).toMatchObject({
        keyPath: 'app/db/host',
        valueType: 'STRING',
        version: 1,
        metadata: { key: 'app/db/host' },
      });
      expect(JSON.stringify(response.body)).not.toContain('db.internal');
    });

    it('answers the next level: folders beside the keys, each folder one item however many keys it holds', async () => {
      const top = await everyPage(tokens.browser, plain, { delimiter: '/', limit: 1 });
      expect(top.pages.map((page) => [...page.folders, ...page.items.map((item) => item.keyPath)])).toEqual([['app/'], ['big/'], ['top']]);
      const app = await everyPage(tokens.browser, plain, { prefix: 'app/', delimiter: '/', limit: 100 });
      expect([app.folders, app.keys]).toEqual([['app/db/'], ['app/name']]);
    });

    it('pages through 2,500 entries in folders: each folder once, and every key of one folder', async () => {
      const level = await everyPage(tokens.browser, plain, { prefix: 'big/', delimiter: '/', limit: 3 });
      expect(level.folders).toEqual(bigFolders);
      expect(level.keys).toEqual([]);
      expect(level.pages).toHaveLength(4);

      const folder = await everyPage(tokens.browser, plain, { prefix: 'big/g3/', delimiter: '/', limit: 100 });
      expect(folder.keys).toHaveLength(250);
      expect(new Set(folder.keys).size).toBe(250);
      expect(folder.pages).toHaveLength(3);

      const flat = await everyPage(tokens.browser, plain, { prefix: 'big/', limit: 1000 });
      expect(flat.keys).toHaveLength(2500);
      expect(flat.folders).toEqual([]);
      expect(flat.pages).toHaveLength(3);
    });

    it('needs only kv-namespace:read; a listing with values still needs kv-entry:read', async () => {
      const refused = await call('GET', `/${plain}/entries?prefix=app/`, { token: tokens.browser });
      expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', message: 'missing permission kv-entry:read' } });
      const withValues = await call('GET', `/${plain}/entries?prefix=app/db/`, { token: tokens.admin });
      expect(withValues.body.items.map((item: { value: unknown }) => item.value)).toEqual(['db.internal', '5432']);
    });

    it("refuses a cursor of the other form with 400 INVALID_CURSOR: a folder's would skip its keys in the flat listing", async () => {
      const level = await call('GET', `/${plain}/entries?values=false&delimiter=/&limit=1`, { token: tokens.browser });
      expect(level.body.folders).toEqual(['app/']);
      const cursor = encodeURIComponent(level.body.nextCursor);
      const refused = await call('GET', `/${plain}/entries?values=false&limit=1&cursor=${cursor}`, { token: tokens.browser });
      expect(refused).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
      const flat = await call('GET', `/${plain}/entries?values=false&limit=1`, { token: tokens.browser });
      const flatCursor = encodeURIComponent(flat.body.nextCursor);
      const repeated = await call('GET', `/${plain}/entries?values=false&delimiter=/&cursor=${flatCursor}`, { token: tokens.browser });
      expect(repeated).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
    });

    it('refuses a delimiter other than "/" with 400 VALIDATION_FAILED', async () => {
      const refused = await call('GET', `/${plain}/entries?values=false&delimiter=${encodeURIComponent(':')}`, { token: tokens.browser });
      expect(refused).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('delimiter must be "/"') },
      });
    });

    it("browses a secret namespace with one LIST record and no READ, and its secrets' plaintext appears nowhere", async () => {
      const secret = (await createNamespace(tokens.admin, { applicationId, isSecretNamespace: true })).id;
      const planted = `planted-console-${randomUUID()}`;
      for (const key of ['db/password', 'db/replica/password', 'api/token', 'root-key']) {
        const body = { value: `${planted}-${key}`, valueType: 'STRING' };
        expect((await call('PUT', `/${secret}/entries/${key}`, { token: tokens.admin, body })).status).toBe(201);
      }
      const requestId = randomUUID();
      const response = await call('GET', `/${secret}/entries?values=false&delimiter=/`, {
        token: tokens.browser,
        headers: { 'x-request-id': requestId },
      });
      expect(response.status).toBe(200);
      expect(response.body.folders).toEqual(['api/', 'db/']);
      expect(response.body.items.map((item: { keyPath: string }) => item.keyPath)).toEqual(['root-key']);
      const db = await clientOf(tokens.browser).listEntryKeys(secret, { prefix: 'db/', delimiter: '/' });
      expect([db.folders, db.items.map((item) => item.keyPath)]).toEqual([['db/replica/'], ['db/password']]);
      expect(JSON.stringify([response.body, db])).not.toContain(planted);

      // A second listing after the first: once its record is in, the first call's records are too.
      const laterId = randomUUID();
      await call('GET', `/${secret}/entries?values=false`, { token: tokens.browser, headers: { 'x-request-id': laterId } });
      const trail = () => recordsOf(`namespaceId=${secret}&limit=100`);
      expect(await eventually(async () => (await trail()).some((record) => record.requestId === laterId), 10_000)).toBe(true);
      const records = await trail();
      expect(records.filter((record) => record.requestId === requestId)).toEqual([
        expect.objectContaining({ action: 'LIST', success: true, userId: 'console-browser', keyPath: null, entryId: null }),
      ]);
      expect(records.filter((record) => record.action === 'READ')).toEqual([]);
      expect(JSON.stringify(records)).not.toContain(planted);

      // A listing with values reads each secret: a READ of each one it answered with, as a get of each would be.
      const readingId = randomUUID();
      const reading = await call('GET', `/${secret}/entries?prefix=db/`, { token: tokens.admin, headers: { 'x-request-id': readingId } });
      expect(reading.body.items.map((item: { value: string }) => item.value)).toEqual([
        `${planted}-db/password`,
        `${planted}-db/replica/password`,
      ]);
      const perSecret = async () =>
        (await trail())
          .filter((record) => record.requestId === readingId)
          .map((record) => [record.action, record.keyPath])
          .sort();
      expect(await eventually(async () => (await perSecret()).length === 2, 10_000)).toBe(true);
      expect(await perSecret()).toEqual([
        ['READ', 'db/password'],
        ['READ', 'db/replica/password'],
      ]);
    });
  });
});
