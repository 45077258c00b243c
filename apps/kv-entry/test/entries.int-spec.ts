import { ErrorCode, EntryDto, Limits, ValueType, decodeCursor } from '@app/contracts';
import { directOrigin, writtenEvents } from '@app/entry-store';
import { randomUUID } from 'node:crypto';
import { EntriesRepository } from '../src/entries/entries.repository';
import { EntriesService } from '../src/entries/entries.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { anAdmin, aPrincipal } from '../../../test/support/principals';
import { withServiceClockOffset } from '../../../test/support/service-clock';

const str = (value: string) => ({ value, valueType: ValueType.STRING });
/** The keys' order in Postgres (COLLATE "C"): UTF-8 byte order. */
const byteOrder = (list: string[]) => [...list].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

describe('entries against Postgres', () => {
  const testbed = useKvEntryTestbed();
  const namespaces = providerOf(testbed, NamespacesService);
  const entries = providerOf(testbed, EntriesService);
  let nsId: string;

  // A test that timed out inside withServiceClockOffset would leave its fake clock to the next ones.
  afterEach(() => jest.useRealTimers());

  beforeEach(async () => {
    await testbed.dataSource.query('TRUNCATE namespace CASCADE');
    nsId = (await namespaces.create({ actor: anAdmin() }, { name: 'config', applicationId: 'billing' })).id;
  });

  /** Makes an entry look as if it had expired a second ago, without waiting. */
  const expire = (key: string) =>
    testbed.dataSource.query(`UPDATE entry SET expires_at = now() - interval '1 second' WHERE namespace_id = $1 AND key_path = $2`, [
      nsId,
      key,
    ]);

  const rowCount = async (): Promise<number> =>
    (await testbed.dataSource.query('SELECT count(*)::int AS n FROM entry WHERE namespace_id = $1', [nsId]))[0].n;

  describe('put and get', () => {
    it('creates (version 1, created) then replaces (version 2, not created)', async () => {
      const first = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'db/host', { ...str('a'), metadata: { owner: 'ops' } });
      expect(first).toMatchObject({
        created: true,
        entry: { keyPath: 'db/host', value: 'a', version: 1, metadata: { owner: 'ops' }, expiresAt: null },
      });
      const second = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'db/host', str('b'));
      expect(second).toMatchObject({
        created: false,
        entry: { value: 'b', version: 2, metadata: null, id: first.entry.id, createdAt: first.entry.createdAt },
      });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'db/host')).resolves.toEqual({
        ...second.entry,
        revision: expect.any(Number),
      });
    });

    it.each([
      [ValueType.STRING, ''],
      [ValueType.STRING, 'null'],
      [ValueType.JSON, { a: [1, 'two', null, { b: true }] }],
      [ValueType.JSON, null],
      [ValueType.JSON, 'plain string'],
      [ValueType.NUMBER, -1.5],
      [ValueType.BOOLEAN, false],
      [ValueType.BINARY, 'aGVsbG8='],
      [ValueType.DATE, '2024-02-29'],
      [ValueType.DATETIME, '2024-05-01T12:00:00Z'],
      [ValueType.DURATION, 'PT30S'],
    ])('stores %s %j and returns the same JSON value', async (valueType, value) => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { value, valueType });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'k')).resolves.toMatchObject({ value, valueType });
    });

    it('answers ENTRY_NOT_FOUND for an absent key', async () => {
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'nope')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    });

    it('answers INVALID_KEY, INVALID_VALUE and VALUE_TOO_LARGE without writing', async () => {
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'a/../b', str('x'))).rejects.toMatchObject({
        code: ErrorCode.INVALID_KEY,
      });
      await expect(
        entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { value: 'x', valueType: ValueType.NUMBER }),
      ).rejects.toMatchObject({
        code: ErrorCode.INVALID_VALUE,
      });
      await expect(
        entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('x'.repeat(Limits.DEFAULT_MAX_VALUE_BYTES))),
      ).rejects.toMatchObject({
        code: ErrorCode.VALUE_TOO_LARGE,
      });
      // jsonb cannot store U+0000: refused as a bad value, not a database error.
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('nul\u0000'))).rejects.toMatchObject({
        code: ErrorCode.INVALID_VALUE,
      });
      expect(await rowCount()).toBe(0);
    });

    it('an entry TTL, else the namespace default, sets expiresAt', async () => {
      const withDefault = await namespaces.create({ actor: anAdmin() }, { name: 'ttl', applicationId: 'billing', defaultTtlSeconds: 3600 });
      const before = Date.now();
      const own = await entries.put({ actor: anAdmin(), namespaceId: withDefault.id }, 'own', { ...str('x'), ttlSeconds: 60 });
      const inherited = await entries.put({ actor: anAdmin(), namespaceId: withDefault.id }, 'inherited', str('x'));
      const none = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'none', str('x'));
      expect(new Date(own.entry.expiresAt!).getTime() - before).toBeGreaterThanOrEqual(60_000);
      expect(new Date(own.entry.expiresAt!).getTime() - before).toBeLessThan(70_000);
      expect(new Date(inherited.entry.expiresAt!).getTime() - before).toBeGreaterThanOrEqual(3_600_000);
      expect(none.entry.expiresAt).toBeNull();
    });
  });

  describe('expiry', () => {
    it('an expired entry is invisible to every read at once, before any sweep', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'gone', str('x'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'kept', str('y'));
      await expire('gone');
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'gone')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
      await expect(entries.list({ actor: anAdmin(), namespaceId: nsId }, {})).resolves.toMatchObject({ items: [{ keyPath: 'kept' }] });
      await expect(entries.bulkGet({ actor: anAdmin(), namespaceId: nsId }, ['gone', 'kept'])).resolves.toMatchObject({
        items: [{ keyPath: 'kept' }],
        missing: ['gone'],
      });
      await expect(entries.delete({ actor: anAdmin(), namespaceId: nsId }, 'gone')).rejects.toMatchObject({
        code: ErrorCode.ENTRY_NOT_FOUND,
      });
    });

    it('expires for real after its TTL', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'short', { ...str('x'), ttlSeconds: 1 });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'short')).resolves.toMatchObject({ keyPath: 'short' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'short')).rejects.toMatchObject({
        code: ErrorCode.ENTRY_NOT_FOUND,
      });
    });

    it('reckons expiry by the database clock, not the service clock', async () => {
      const [{ now: databaseNow }] = await testbed.dataSource.query('SELECT now()');
      // A service whose clock is an hour behind would have written entries that were expired already.
      const [single, ifAbsent, bulk] = await withServiceClockOffset(
        -3_600_000,
        async () =>
          [
            await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'skewed', { ...str('x'), ttlSeconds: 60 }),
            await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'skewed/new', { ...str('w'), ttlSeconds: 60, expectedVersion: 0 }),
            await entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, [{ key: 'skewed/bulk', ...str('y'), ttlSeconds: 60 }]),
          ] as const,
      );
      for (const expiresAt of [single.entry.expiresAt, ifAbsent.entry.expiresAt, bulk.items[0]!.expiresAt]) {
        expect(new Date(expiresAt!).getTime() - new Date(databaseNow).getTime()).toBeGreaterThanOrEqual(60_000);
        expect(new Date(expiresAt!).getTime() - new Date(databaseNow).getTime()).toBeLessThan(70_000);
      }
      await expect(
        entries.bulkGet({ actor: anAdmin(), namespaceId: nsId }, ['skewed', 'skewed/new', 'skewed/bulk']),
      ).resolves.toMatchObject({ missing: [] });
      const conditional = await withServiceClockOffset(-3_600_000, () =>
        entries.put({ actor: anAdmin(), namespaceId: nsId }, 'skewed', { ...str('z'), ttlSeconds: 60, expectedVersion: 1 }),
      );
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'skewed')).resolves.toMatchObject({
        version: 2,
        expiresAt: conditional.entry.expiresAt,
      });
    });

    it('writing an expired key creates it anew: version 1, created', async () => {
      const original = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('a'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('b'));
      await expire('k');
      const again = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('c'));
      expect(again).toMatchObject({ created: true, entry: { version: 1, value: 'c', expiresAt: null } });
      expect(new Date(again.entry.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(original.entry.createdAt).getTime());
    });

    it('expectedVersion 0 succeeds on an expired key and a versioned write fails on it', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('a'));
      await expire('k');
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('b'), expectedVersion: 1 })).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
      });
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('b'), expectedVersion: 0 })).resolves.toMatchObject({
        created: true,
        entry: { version: 1 },
      });
    });
  });

  describe('conditional writes', () => {
    it('expectedVersion 0 creates only if absent', async () => {
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('a'), expectedVersion: 0 })).resolves.toMatchObject({
        created: true,
      });
      const conflict = await entries
        .put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('planted-value'), expectedVersion: 0 })
        .catch((error: unknown) => error);
      expect(conflict).toMatchObject({ code: ErrorCode.VERSION_CONFLICT });
      expect((conflict as Error).message).not.toMatch(/planted-value|"a"/);
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'k')).resolves.toMatchObject({ value: 'a', version: 1 });
    });

    it('expectedVersion N updates only at version N', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('a'));
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('b'), expectedVersion: 2 })).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
        message: expect.stringMatching(/expected version/),
      });
      await expect(entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', { ...str('b'), expectedVersion: 1 })).resolves.toMatchObject({
        created: false,
        entry: { version: 2, value: 'b' },
      });
      await expect(
        entries.put({ actor: anAdmin(), namespaceId: nsId }, 'absent', { ...str('b'), expectedVersion: 1 }),
      ).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
      });
    });

    it('of 20 concurrent writes with the same expectedVersion exactly one wins', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'race', str('start'));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, writer) =>
          entries.put({ actor: anAdmin(), namespaceId: nsId }, 'race', { ...str(`writer-${writer}`), expectedVersion: 1 }),
        ),
      );
      const winners = results.filter(
        (result): result is PromiseFulfilledResult<Awaited<ReturnType<EntriesService['put']>>> => result.status === 'fulfilled',
      );
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: ErrorCode.VERSION_CONFLICT });
      }
      const stored = await entries.get({ actor: anAdmin(), namespaceId: nsId }, 'race');
      expect(stored).toMatchObject({ version: 2, value: winners[0]!.value.entry.value });
    });

    it('of 20 concurrent creates with expectedVersion 0 exactly one wins', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, writer) =>
          entries.put({ actor: anAdmin(), namespaceId: nsId }, 'fresh', { ...str(`writer-${writer}`), expectedVersion: 0 }),
        ),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason.code),
      ).toEqual(Array(19).fill(ErrorCode.VERSION_CONFLICT));
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'fresh')).resolves.toMatchObject({ version: 1 });
    });

    it('20 concurrent unconditional writes all land, one version each', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, writer) => entries.put({ actor: anAdmin(), namespaceId: nsId }, 'counter', str(`w${writer}`))),
      );
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'counter')).resolves.toMatchObject({ version: 20 });
    });
  });

  describe('delete', () => {
    it('deletes a live entry, then answers ENTRY_NOT_FOUND', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('a'));
      await expect(entries.delete({ actor: anAdmin(), namespaceId: nsId }, 'k')).resolves.toEqual({ deleted: true });
      await expect(entries.delete({ actor: anAdmin(), namespaceId: nsId }, 'k')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'k')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    });
  });

  describe('list', () => {
    const keys = ['a%b/1', 'a%b/2', 'a_b/1', 'aXb/1', 'a\\b/1', 'app/1', 'app/2', 'app/3', 'b/1', 'Zed', 'éa', 'ab'];

    beforeEach(async () => {
      for (const key of keys) await entries.put({ actor: anAdmin(), namespaceId: nsId }, key, str(`v-${key}`));
    });

    async function listAll(prefix: string | undefined, limit: number): Promise<{ keys: string[]; pages: number }> {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await entries.list({ actor: anAdmin(), namespaceId: nsId }, { prefix, limit, cursor });
        seen.push(...page.items.map((item: EntryDto) => item.keyPath));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined);
      return { keys: seen, pages };
    }

    it('lists everything in byte order across pages', async () => {
      const { keys: seen, pages } = await listAll(undefined, 5);
      expect(seen).toEqual(byteOrder(keys));
      expect(pages).toBe(3);
    });

    it.each([
      ['a%', ['a%b/1', 'a%b/2']],
      ['a_b', ['a_b/1']],
      ['a\\', ['a\\b/1']],
      ['app/', ['app/1', 'app/2', 'app/3']],
      ['a', byteOrder(keys.filter((key) => key.startsWith('a')))],
      ['nothing', []],
    ])('prefix %j matches only keys that literally start with it', async (prefix, expected) => {
      await expect(listAll(prefix, 2)).resolves.toMatchObject({ keys: expected });
    });

    it('returns values, and the cursor holds only the last key', async () => {
      const page = await entries.list({ actor: anAdmin(), namespaceId: nsId }, { prefix: 'app/', limit: 2 });
      expect(page.items.map((item) => item.value)).toEqual(['v-app/1', 'v-app/2']);
      expect(decodeCursor(page.nextCursor!, 1)).toEqual(['app/2']);
    });

    it('has no next cursor when the last page is exactly full', async () => {
      await expect(entries.list({ actor: anAdmin(), namespaceId: nsId }, { prefix: 'app/', limit: 3 })).resolves.toMatchObject({
        nextCursor: null,
      });
    });

    it('answers INVALID_CURSOR for a bad cursor', async () => {
      await expect(entries.list({ actor: anAdmin(), namespaceId: nsId }, { cursor: 'WyJhIiwiYiJd' })).rejects.toMatchObject({
        code: ErrorCode.INVALID_CURSOR,
      });
    });
  });

  describe('keys-only listing', () => {
    // U+FF61 sorts before U+1F600 in byte order, after it in UTF-16 (JavaScript's default sort).
    const keys = [
      'app/db/host',
      'app/db/port',
      'app/flags/beta',
      'app/name',
      'a%b/1',
      'a_b/1',
      'b/1',
      'top',
      'z\uFF61',
      'z\u{1F600}',
      'éa/x',
    ];
    const reader = () => aPrincipal(['kv-namespace:read'], { applications: ['billing'] });

    beforeEach(async () => {
      for (const key of keys) {
        await entries.put({ actor: anAdmin(), namespaceId: nsId }, key, { ...str(`v-${key}`), metadata: { key } });
      }
    });

    /** Every page of a level: its keys and folders in the order the pages gave them, and how many pages it took. */
    async function walk(query: { prefix?: string; delimiter?: '/' }, limit: number) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await entries.listKeys({ actor: reader(), namespaceId: nsId }, { ...query, limit, cursor });
        expect(page.items.length + page.folders.length).toBeLessThanOrEqual(limit);
        // Each array arrives in byte order; the page's order is the two merged by the same order.
        const pageKeys = page.items.map((item) => item.keyPath);
        expect(pageKeys).toEqual(byteOrder(pageKeys));
        expect(page.folders).toEqual(byteOrder(page.folders));
        seen.push(...byteOrder([...pageKeys, ...page.folders]));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined);
      return { seen, pages };
    }

    it('answers each key with its state and no value, live keys only, and with namespace read alone', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'app/db/host', { ...str('again'), ttlSeconds: 600 });
      await expire('top');
      const page = await entries.listKeys({ actor: reader(), namespaceId: nsId }, { prefix: 'app/db/' });
      expect(page).toEqual({
        items: [
          {
            id: expect.any(String),
            namespaceId: nsId,
            keyPath: 'app/db/host',
            valueType: ValueType.STRING,
            version: 2,
            metadata: null,
            expiresAt: expect.any(String),
            createdAt: expect.any(String),
            updatedAt: expect.any(String),
          },
          expect.objectContaining({ keyPath: 'app/db/port', version: 1, metadata: { key: 'app/db/port' }, expiresAt: null }),
        ],
        folders: [],
        nextCursor: null,
        revision: expect.any(Number),
      });
      expect(JSON.stringify(page)).not.toContain('v-app');
      expect((await walk({}, 100)).seen).not.toContain('top');
    });

    it.each([
      [undefined, ['a%b/', 'a_b/', 'app/', 'b/', 'top', 'z\uFF61', 'z\u{1F600}', 'éa/']],
      ['app/', ['app/db/', 'app/flags/', 'app/name']],
      ['app/db/', ['app/db/host', 'app/db/port']],
      // Like S3: the prefix need not end at a delimiter.
      ['ap', ['app/']],
      ['app/d', ['app/db/']],
      // LIKE's wildcards in a prefix match only themselves.
      ['a%', ['a%b/']],
      ['a_', ['a_b/']],
      ['nothing/', []],
    ])('prefix %j with delimiter "/" answers the next level: %j', async (prefix, expected) => {
      await expect(walk({ prefix, delimiter: '/' }, 100)).resolves.toEqual({ seen: expected, pages: 1 });
    });

    it.each([1, 2, 3])('pages through a level %i item(s) at a time, a folder counting as one, nothing twice', async (limit) => {
      for (let i = 0; i < 50; i++) await entries.put({ actor: anAdmin(), namespaceId: nsId }, `app/flags/many/${i}`, str('x'));
      const { seen, pages } = await walk({ prefix: 'app/', delimiter: '/' }, limit);
      expect(seen).toEqual(['app/db/', 'app/flags/', 'app/name']);
      expect(pages).toBe(Math.ceil(3 / limit));
    });

    it('without a delimiter lists every key under the prefix, in byte order across pages', async () => {
      const { seen, pages } = await walk({ prefix: 'app/' }, 3);
      expect(seen).toEqual(['app/db/host', 'app/db/port', 'app/flags/beta', 'app/name']);
      expect(pages).toBe(2);
    });

    it('refuses a cursor of the other form: a folder would skip its keys in the flat listing, a flat key repeat its folder', async () => {
      await testbed.dataSource.query('DELETE FROM entry WHERE namespace_id = $1', [nsId]);
      for (const key of ['a/b/1', 'a/b/2', 'a/c', 'b']) await entries.put({ actor: anAdmin(), namespaceId: nsId }, key, str('x'));
      const list = (query: { delimiter?: '/'; cursor?: string; prefix?: string }) =>
        entries.listKeys({ actor: reader(), namespaceId: nsId }, { ...query, limit: 1 });
      const level = await list({ delimiter: '/' });
      expect(level.folders).toEqual(['a/']);
      await expect(list({ cursor: level.nextCursor! })).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
      await expect(list({ delimiter: '/', prefix: 'b', cursor: level.nextCursor! })).rejects.toMatchObject({
        code: ErrorCode.INVALID_CURSOR,
      });
      const flat = await list({});
      expect(flat.items.map((item) => item.keyPath)).toEqual(['a/b/1']);
      await expect(list({ delimiter: '/', cursor: flat.nextCursor! })).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
      // Each cursor in its own form goes on where it left off.
      await expect(list({ cursor: flat.nextCursor! })).resolves.toMatchObject({ items: [{ keyPath: 'a/b/2' }] });
      await expect(list({ delimiter: '/', cursor: level.nextCursor! })).resolves.toMatchObject({ items: [{ keyPath: 'b' }], folders: [] });
    });

    it("refuses a values listing's cursor, and a caller without namespace read", async () => {
      const values = await entries.list({ actor: anAdmin(), namespaceId: nsId }, { limit: 1 });
      await expect(
        entries.listKeys({ actor: reader(), namespaceId: nsId }, { delimiter: '/', cursor: values.nextCursor! }),
      ).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
      await expect(
        entries.listKeys({ actor: aPrincipal(['kv-entry:read'], { applications: ['billing'] }), namespaceId: nsId }, {}),
      ).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:read' });
    });
  });

  describe('bulk', () => {
    it('bulk-get answers found items in request order and the missing keys', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'a', str('1'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'c', str('3'));
      await expect(entries.bulkGet({ actor: anAdmin(), namespaceId: nsId }, ['c', 'b', 'a'])).resolves.toMatchObject({
        items: [
          { keyPath: 'c', value: '3' },
          { keyPath: 'a', value: '1' },
        ],
        missing: ['b'],
      });
    });

    it('bulk-set creates and replaces in one call, in request order', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'b', str('old'));
      const result = await entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, [
        { key: 'c', ...str('3'), metadata: { m: 1 } },
        { key: 'b', ...str('2'), ttlSeconds: 600 },
        { key: 'a', value: { deep: [1] }, valueType: ValueType.JSON },
      ]);
      expect(result.items.map((item) => [item.keyPath, item.version])).toEqual([
        ['c', 1],
        ['b', 2],
        ['a', 1],
      ]);
      expect(result.items[0]).toMatchObject({ metadata: { m: 1 }, expiresAt: null });
      expect(result.items[1]!.expiresAt).not.toBeNull();
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'a')).resolves.toMatchObject({ value: { deep: [1] } });
    });

    it('bulk-set restarts expired keys at version 1', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('a'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('b'));
      await expire('k');
      await expect(entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, [{ key: 'k', ...str('c') }])).resolves.toMatchObject({
        items: [{ version: 1 }],
      });
    });

    it('bulk-set is all or nothing: one invalid item leaves nothing written', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'existing', str('before'));
      const items = [
        { key: 'new-1', ...str('x') },
        { key: 'existing', ...str('after') },
        { key: 'bad', value: 'not-a-number', valueType: ValueType.NUMBER },
      ];
      await expect(entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, items)).rejects.toMatchObject({
        code: ErrorCode.INVALID_VALUE,
        message: expect.stringMatching(/^entries\[2\]: /),
      });
      for (const [secondKey, code] of [
        ['a//b', ErrorCode.INVALID_KEY],
        ['new-1', ErrorCode.DUPLICATE_KEY],
      ]) {
        const batch = [
          { key: 'new-1', ...str('x') },
          { key: secondKey, ...str('y') },
        ];
        await expect(entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, batch)).rejects.toMatchObject({ code });
      }
      expect(await rowCount()).toBe(1);
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'existing')).resolves.toMatchObject({
        value: 'before',
        version: 1,
      });
    });

    it('bulk-set of 1000 entries is one statement', async () => {
      const items = Array.from({ length: Limits.MAX_BULK_KEYS }, (_, index) => ({
        key: `bulk/${String(index).padStart(4, '0')}`,
        ...str(`v${index}`),
      }));
      const result = await entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, items);
      expect(result.items).toHaveLength(Limits.MAX_BULK_KEYS);
      expect(await rowCount()).toBe(Limits.MAX_BULK_KEYS);
      await expect(
        entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, [...items, { key: 'one-more', ...str('x') }]),
      ).rejects.toMatchObject({
        code: ErrorCode.TOO_MANY_KEYS,
      });
    });

    it('bulk-delete deletes what is there and reports absent and expired keys as missing', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'a', str('1'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'b', str('2'));
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'c', str('3'));
      await expire('b');
      await expect(entries.bulkDelete({ actor: anAdmin(), namespaceId: nsId }, ['c', 'b', 'x', 'a'])).resolves.toEqual({
        deleted: ['c', 'a'],
        missing: ['b', 'x'],
      });
      expect(await rowCount()).toBe(0);
    });

    it('bulk calls name the offending key index', async () => {
      await expect(entries.bulkGet({ actor: anAdmin(), namespaceId: nsId }, ['ok', 'fine', 'also', '/bad'])).rejects.toMatchObject({
        code: ErrorCode.INVALID_KEY,
        message: 'keys[3]: key must not start or end with "/"',
      });
      await expect(entries.bulkDelete({ actor: anAdmin(), namespaceId: nsId }, ['a', 'a'])).rejects.toMatchObject({
        code: ErrorCode.DUPLICATE_KEY,
      });
    });
  });

  describe('authorization and namespace kind', () => {
    it('a write racing its namespace deletion answers NAMESPACE_NOT_FOUND and leaves no event', async () => {
      // The race's losing side: authorized against a namespace that is gone by the time it writes.
      const gone = randomUUID();
      const events = writtenEvents('billing', gone, directOrigin(anAdmin()));
      const repository = testbed.moduleRef.get(EntriesRepository);
      const write = { value: 'x', valueType: ValueType.STRING, metadata: null, ttlSeconds: null };
      await expect(repository.upsert(gone, 'k', write, events)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      await expect(repository.upsertMany(gone, [{ keyPath: 'k', ...write }], events)).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
      const outbox = await testbed.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE event->>'namespaceId' = $1`, [gone]);
      expect(outbox[0].n).toBe(0);
    });

    it('entries of a secret namespace are refused', async () => {
      const secret = await namespaces.create({ actor: anAdmin() }, { name: 'vault', applicationId: 'billing', isSecretNamespace: true });
      for (const attempt of [
        entries.put({ actor: anAdmin(), namespaceId: secret.id }, 'k', str('plaintext')),
        entries.get({ actor: anAdmin(), namespaceId: secret.id }, 'k'),
        entries.list({ actor: anAdmin(), namespaceId: secret.id }, {}),
        entries.delete({ actor: anAdmin(), namespaceId: secret.id }, 'k'),
        entries.bulkGet({ actor: anAdmin(), namespaceId: secret.id }, ['k']),
        entries.bulkSet({ actor: anAdmin(), namespaceId: secret.id }, [{ key: 'k', ...str('plaintext') }]),
        entries.bulkDelete({ actor: anAdmin(), namespaceId: secret.id }, ['k']),
      ]) {
        await expect(attempt).rejects.toMatchObject({ code: ErrorCode.SECRET_NAMESPACE_UNSUPPORTED });
      }
      expect((await testbed.dataSource.query('SELECT count(*)::int AS n FROM entry'))[0].n).toBe(0);
    });

    it('cannot reach entries in an inaccessible application: NAMESPACE_NOT_FOUND', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('x'));
      const outsider = aPrincipal(['*'], { applications: ['shipping'] });
      await expect(entries.get({ actor: outsider, namespaceId: nsId }, 'k')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      await expect(entries.put({ actor: outsider, namespaceId: nsId }, 'k', str('y'))).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
      await expect(entries.list({ actor: outsider, namespaceId: nsId }, {})).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'k')).resolves.toMatchObject({ value: 'x' });
    });

    it('each operation needs its own permission', async () => {
      await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'k', str('x'));
      const reader = aPrincipal(['kv-entry:read'], { applications: ['billing'] });
      await expect(entries.get({ actor: reader, namespaceId: nsId }, 'k')).resolves.toMatchObject({ value: 'x' });
      await expect(entries.bulkGet({ actor: reader, namespaceId: nsId }, ['k'])).resolves.toMatchObject({ missing: [] });
      await expect(entries.put({ actor: reader, namespaceId: nsId }, 'k', str('y'))).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-entry:write',
      });
      await expect(entries.bulkSet({ actor: reader, namespaceId: nsId }, [{ key: 'k', ...str('y') }])).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      await expect(entries.delete({ actor: reader, namespaceId: nsId }, 'k')).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-entry:delete',
      });
      await expect(entries.bulkDelete({ actor: reader, namespaceId: nsId }, ['k'])).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      await expect(entries.list({ actor: reader, namespaceId: nsId }, {})).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:read',
      });
      await expect(
        entries.list({ actor: aPrincipal(['kv-entry:read', 'kv-namespace:read'], { applications: ['billing'] }), namespaceId: nsId }, {}),
      ).resolves.toMatchObject({ items: [{ keyPath: 'k' }] });
      await expect(
        entries.get({ actor: aPrincipal(['kv-entry:write'], { applications: ['billing'] }), namespaceId: nsId }, 'k'),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'k')).resolves.toMatchObject({ value: 'x', version: 1 });
    });

    it('a grant scoped to one namespace works there and nowhere else', async () => {
      const other = await namespaces.create({ actor: anAdmin() }, { name: 'other', applicationId: 'billing' });
      const scoped = aPrincipal([`kv-entry:*@${nsId}`], { applications: ['billing'] });
      await expect(entries.put({ actor: scoped, namespaceId: nsId }, 'k', str('x'))).resolves.toMatchObject({ created: true });
      await expect(entries.get({ actor: scoped, namespaceId: nsId }, 'k')).resolves.toMatchObject({ value: 'x' });
      await expect(entries.put({ actor: scoped, namespaceId: other.id }, 'k', str('x'))).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
    });
  });
});
