import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ErrorCode, NamespaceDto, NamespacePattern, ValueType } from '@app/contracts';
import { EntriesService } from '../src/entries/entries.service';
import { NamespacesHandler } from '../src/namespaces/namespaces.handler';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { anAdmin, aPrincipal } from '../../../test/support/principals';

describe('namespaces against Postgres', () => {
  const testbed = useKvEntryTestbed();
  const namespaces = providerOf(testbed, NamespacesService);
  const entries = providerOf(testbed, EntriesService);

  beforeEach(() => testbed.dataSource.query('TRUNCATE namespace CASCADE'));

  const create = (name: string, applicationId = 'billing', extra: object = {}): Promise<NamespaceDto> =>
    namespaces.create({ actor: anAdmin() }, { name, applicationId, ...extra });

  it('creates a namespace and reads it back', async () => {
    const created = await create('config', 'billing', { description: 'settings', defaultTtlSeconds: 60 });
    expect(created).toMatchObject({
      name: 'config',
      applicationId: 'billing',
      description: 'settings',
      isSecretNamespace: false,
      defaultTtlSeconds: 60,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    await expect(namespaces.get({ actor: anAdmin(), namespaceId: created.id })).resolves.toEqual(created);
  });

  it('answers NAMESPACE_EXISTS for a duplicate name in the same application, even when created concurrently', async () => {
    await create('config');
    await expect(create('config')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_EXISTS });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => create('racy')));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.NAMESPACE_EXISTS });
    }
  });

  it('allows the same name in another application', async () => {
    await create('config', 'billing');
    await expect(create('config', 'shipping')).resolves.toMatchObject({ applicationId: 'shipping' });
  });

  describe('update', () => {
    it('replaces name, description and default TTL', async () => {
      const created = await create('config', 'billing', { description: 'd', defaultTtlSeconds: 60 });
      const updated = await namespaces.update(
        { actor: anAdmin(), namespaceId: created.id },
        { name: 'settings', applicationId: 'billing' },
      );
      expect(updated).toMatchObject({
        id: created.id,
        name: 'settings',
        description: null,
        defaultTtlSeconds: null,
        createdAt: created.createdAt,
      });
      expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());
    });

    it('answers NAMESPACE_EXISTS for a rename onto an existing name', async () => {
      await create('taken');
      const other = await create('other');
      await expect(
        namespaces.update({ actor: anAdmin(), namespaceId: other.id }, { name: 'taken', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_EXISTS,
      });
    });

    it('cannot change the kind or the application', async () => {
      const created = await create('config');
      await expect(
        namespaces.update(
          { actor: anAdmin(), namespaceId: created.id },
          { name: 'config', applicationId: 'billing', isSecretNamespace: true },
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_KIND_IMMUTABLE,
      });
      await expect(
        namespaces.update({ actor: anAdmin(), namespaceId: created.id }, { name: 'config', applicationId: 'shipping' }),
      ).rejects.toMatchObject({
        code: ErrorCode.APPLICATION_IMMUTABLE,
      });
    });

    it('answers NAMESPACE_NOT_FOUND for an unknown id', async () => {
      await expect(
        namespaces.update(
          { actor: anAdmin(), namespaceId: '00000000-0000-4000-8000-000000000000' },
          { name: 'x', applicationId: 'billing' },
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
    });
  });

  it('deleting a namespace deletes its entries (cascade)', async () => {
    const created = await create('config');
    await entries.put({ actor: anAdmin(), namespaceId: created.id }, 'a', { value: 'x', valueType: ValueType.STRING });
    await entries.put({ actor: anAdmin(), namespaceId: created.id }, 'b', { value: 'y', valueType: ValueType.STRING });
    await expect(namespaces.delete({ actor: anAdmin(), namespaceId: created.id })).resolves.toEqual({
      deleted: true,
      namespace: { id: created.id, applicationId: 'billing', isSecretNamespace: false, defaultTtlSeconds: null, maxSecretVersions: null },
    });
    await expect(namespaces.get({ actor: anAdmin(), namespaceId: created.id })).rejects.toMatchObject({
      code: ErrorCode.NAMESPACE_NOT_FOUND,
    });
    expect(await testbed.dataSource.query('SELECT count(*)::int AS n FROM entry WHERE namespace_id = $1', [created.id])).toEqual([
      { n: 0 },
    ]);
    await expect(namespaces.delete({ actor: anAdmin(), namespaceId: created.id })).rejects.toMatchObject({
      code: ErrorCode.NAMESPACE_NOT_FOUND,
    });
  });

  describe('secret version cap', () => {
    it('is stored on a secret namespace, replaced by PUT, and null when left out', async () => {
      const created = await create('vault', 'billing', { isSecretNamespace: true, maxSecretVersions: 3 });
      expect(created).toMatchObject({ isSecretNamespace: true, maxSecretVersions: 3 });
      const raised = await namespaces.update(
        { actor: anAdmin(), namespaceId: created.id },
        { name: 'vault', applicationId: 'billing', maxSecretVersions: 10 },
      );
      expect(raised.maxSecretVersions).toBe(10);
      const cleared = await namespaces.update({ actor: anAdmin(), namespaceId: created.id }, { name: 'vault', applicationId: 'billing' });
      expect(cleared.maxSecretVersions).toBeNull();
      await expect(namespaces.get({ actor: anAdmin(), namespaceId: created.id })).resolves.toMatchObject({ maxSecretVersions: null });
    });

    it('is refused on a plain namespace, at creation and on update', async () => {
      await expect(create('plain', 'billing', { maxSecretVersions: 3 })).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
      const plain = await create('plain');
      await expect(
        namespaces.update({ actor: anAdmin(), namespaceId: plain.id }, { name: 'plain', applicationId: 'billing', maxSecretVersions: 3 }),
      ).rejects.toMatchObject({
        code: ErrorCode.VALIDATION_FAILED,
      });
      expect(await testbed.dataSource.query('SELECT max_secret_versions FROM namespace WHERE id = $1', [plain.id])).toEqual([
        { max_secret_versions: null },
      ]);
    });

    it('is refused on a plain namespace by the table itself', async () => {
      const plain = await create('plain');
      await expect(
        testbed.dataSource.query('UPDATE namespace SET max_secret_versions = 3 WHERE id = $1', [plain.id]),
      ).rejects.toMatchObject({
        code: '23514',
      });
    });
  });

  describe('describe (the gateway routing lookup)', () => {
    it('gives the descriptor, and nothing else, to an actor without any permission', async () => {
      const secret = await create('vault', 'billing', { isSecretNamespace: true, defaultTtlSeconds: 30, maxSecretVersions: 4 });
      const router = aPrincipal([], { applications: ['billing'] });
      await expect(namespaces.describe({ actor: router, namespaceId: secret.id })).resolves.toEqual({
        id: secret.id,
        applicationId: 'billing',
        isSecretNamespace: true,
        defaultTtlSeconds: 30,
        maxSecretVersions: 4,
        revision: expect.any(Number),
      });
      const plain = await create('config');
      await expect(namespaces.describe({ actor: router, namespaceId: plain.id })).resolves.toEqual({
        id: plain.id,
        applicationId: 'billing',
        isSecretNamespace: false,
        defaultTtlSeconds: null,
        maxSecretVersions: null,
        revision: expect.any(Number),
      });
    });

    it('answers NAMESPACE_NOT_FOUND, alike, for a missing namespace and one of an inaccessible application', async () => {
      const created = await create('config', 'billing');
      const missingId = '00000000-0000-4000-8000-000000000000';
      const missing = await namespaces.describe({ actor: anAdmin(), namespaceId: missingId }).catch((error: unknown) => error);
      const hidden = await namespaces
        .describe({ actor: aPrincipal(['*'], { applications: ['shipping'] }), namespaceId: created.id })
        .catch((error: unknown) => error);
      expect(missing).toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      expect(hidden).toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      expect((hidden as Error).message.replace(created.id, 'ID')).toBe((missing as Error).message.replace(missingId, 'ID'));
    });

    it('is served on its message pattern', async () => {
      const handler = testbed.moduleRef.get(NamespacesHandler);
      expect(Reflect.getMetadata(PATTERN_METADATA, NamespacesHandler.prototype.describe)).toEqual([NamespacePattern.DESCRIBE]);
      const created = await create('config');
      await expect(handler.describe({ actor: anAdmin(), requestId: 'r-1', namespaceId: created.id })).resolves.toMatchObject({
        id: created.id,
      });
    });

    it('answers NAMESPACE_NOT_FOUND once the namespace is deleted', async () => {
      const created = await create('config');
      await namespaces.delete({ actor: anAdmin(), namespaceId: created.id });
      await expect(namespaces.describe({ actor: anAdmin(), namespaceId: created.id })).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
    });
  });

  describe('list', () => {
    it('pages through all namespaces in (applicationId, name) order', async () => {
      for (const [app, name] of [
        ['b-app', 'z'],
        ['a-app', 'y'],
        ['a-app', 'x'],
        ['b-app', 'a'],
        ['c-app', 'm'],
      ])
        await create(name!, app);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await namespaces.list({ actor: anAdmin() }, { limit: 2, cursor });
        seen.push(...page.items.map((item) => `${item.applicationId}/${item.name}`));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined);
      expect(seen).toEqual(['a-app/x', 'a-app/y', 'b-app/a', 'b-app/z', 'c-app/m']);
      expect(pages).toBe(3);
    });

    it('has no next cursor when the last page is exactly full', async () => {
      await create('a');
      await create('b');
      await expect(namespaces.list({ actor: anAdmin() }, { limit: 2 })).resolves.toMatchObject({ nextCursor: null });
    });

    it('filters by applicationId', async () => {
      await create('a', 'billing');
      await create('b', 'shipping');
      const page = await namespaces.list({ actor: anAdmin() }, { applicationId: 'shipping' });
      expect(page.items.map((item) => item.name)).toEqual(['b']);
    });

    it('answers INVALID_CURSOR for a cursor it did not make', async () => {
      await expect(namespaces.list({ actor: anAdmin() }, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
        code: ErrorCode.INVALID_CURSOR,
      });
    });
  });

  describe('authorization', () => {
    it('cannot see a namespace of an inaccessible application: 404 as if it did not exist', async () => {
      const created = await create('config', 'billing');
      const outsider = aPrincipal(['*'], { applications: ['shipping'] });
      const missing = await namespaces
        .get({ actor: anAdmin(), namespaceId: '00000000-0000-4000-8000-000000000000' })
        .catch((error: unknown) => error);
      const hidden = await namespaces.get({ actor: outsider, namespaceId: created.id }).catch((error: unknown) => error);
      expect(hidden).toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      expect((hidden as Error).message.replace(created.id, 'ID')).toBe(
        (missing as Error).message.replace('00000000-0000-4000-8000-000000000000', 'ID'),
      );
      await expect(
        namespaces.update({ actor: outsider, namespaceId: created.id }, { name: 'x', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
      await expect(namespaces.delete({ actor: outsider, namespaceId: created.id })).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
    });

    it('answers FORBIDDEN naming the permission when the application is accessible but the permission is missing', async () => {
      const created = await create('config', 'billing');
      const reader = aPrincipal(['kv-namespace:read'], { applications: ['billing'] });
      await expect(namespaces.get({ actor: reader, namespaceId: created.id })).resolves.toMatchObject({ id: created.id });
      await expect(
        namespaces.update({ actor: reader, namespaceId: created.id }, { name: 'x', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:write',
      });
      await expect(namespaces.delete({ actor: reader, namespaceId: created.id })).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:delete',
      });
      await expect(
        namespaces.get({ actor: aPrincipal(['kv-entry:read'], { applications: ['billing'] }), namespaceId: created.id }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:read',
      });
    });

    it('cannot create a namespace without kv-namespace:write or in an inaccessible application', async () => {
      await expect(
        namespaces.create({ actor: aPrincipal(['kv-namespace:read']) }, { name: 'n', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      await expect(
        namespaces.create(
          { actor: aPrincipal(['kv-namespace:write'], { applications: ['shipping'] }) },
          { name: 'n', applicationId: 'billing' },
        ),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      expect(await testbed.dataSource.query('SELECT count(*)::int AS n FROM namespace')).toEqual([{ n: 0 }]);
    });

    it('a namespace-scoped grant works for its namespace only', async () => {
      const mine = await create('mine');
      const other = await create('other');
      const scoped = aPrincipal([`kv-namespace:write@${mine.id}`, 'kv-namespace:read'], { applications: ['billing'] });
      await expect(
        namespaces.update({ actor: scoped, namespaceId: mine.id }, { name: 'mine2', applicationId: 'billing' }),
      ).resolves.toMatchObject({
        name: 'mine2',
      });
      await expect(
        namespaces.update({ actor: scoped, namespaceId: other.id }, { name: 'other2', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });

    it('lists only namespaces of accessible applications', async () => {
      await create('a', 'billing');
      await create('b', 'shipping');
      await create('c', 'hr');
      const page = await namespaces.list({ actor: aPrincipal(['kv-namespace:read'], { applications: ['billing', 'hr'] }) }, {});
      expect(page.items.map((item) => item.applicationId)).toEqual(['billing', 'hr']);
      await expect(
        namespaces.list({ actor: aPrincipal(['kv-namespace:read'], { applications: ['billing'] }) }, { applicationId: 'shipping' }),
      ).resolves.toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('lists only the scoped namespaces when read is granted per namespace', async () => {
      const a = await create('a');
      await create('b');
      const c = await create('c');
      const scoped = aPrincipal([`kv-namespace:read@${a.id}`, `kv-namespace:read@${c.id}`], { applications: ['billing'] });
      const page = await namespaces.list({ actor: scoped }, {});
      expect(page.items.map((item) => item.name)).toEqual(['a', 'c']);
    });

    it('refuses a listing without any kv-namespace:read', async () => {
      await expect(namespaces.list({ actor: aPrincipal(['kv-entry:read']) }, {})).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:read',
      });
    });
  });
});
