import { ErrorCode, SecretChange, ValueType } from '@app/contracts';
import { DataKeys } from '../src/keys/data-keys.service';
import { LIVE_ENTRIES_WITH_KEYS, SECRET_KEY_LISTING_SOURCE, SecretEntriesRepository } from '../src/entries/secret-entries.repository';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { SecretExpirySweeper } from '../src/expiry/secret-expiry-sweeper.service';
import { SecretNamespacesRepository } from '../src/namespaces/secret-namespaces.repository';
import { SecretVersionsService } from '../src/versions/secret-versions.service';
import { keyListingStatement, withHeadRevisionSql } from '@app/entry-store';
import { aPrincipal } from '../../../test/support/principals';
import { callIn, secretNamespace, useSecretsTestbed } from './secrets-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { withServiceClockOffset } from '../../../test/support/service-clock';

describe('secret entries against Postgres', () => {
  const testbed = useSecretsTestbed();
  const entries = providerOf(testbed, SecretEntriesService);
  const versions = providerOf(testbed, SecretVersionsService);
  // A test that timed out inside withServiceClockOffset would leave its fake clock to the next ones.
  afterEach(() => jest.useRealTimers());

  const dump = async (): Promise<string> =>
    JSON.stringify(
      await Promise.all(
        ['secret_namespace', 'secret_entry', 'secret_version'].map((table) => testbed.dataSource.query(`SELECT * FROM ${table}`)),
      ),
      (_key, value: unknown) => (value instanceof Buffer ? value.toString('latin1') : value),
    );

  it('stores only ciphertext: the value is in no column, in any encoding', async () => {
    const ns = secretNamespace();
    const planted = 'planted-int-3b9c2f71';
    await entries.put(callIn(ns), 'db/password', { value: planted, valueType: ValueType.STRING });
    await entries.put(callIn(ns), 'db/json', { value: { password: planted }, valueType: ValueType.JSON });
    const everything = await dump();
    for (const form of [planted, Buffer.from(planted).toString('base64'), Buffer.from(planted).toString('hex')]) {
      expect(everything).not.toContain(form);
    }
    expect((await entries.get(callIn(ns), 'db/password')).value).toBe(planted);
    expect((await entries.get(callIn(ns), 'db/json')).value).toEqual({ password: planted });
  });

  it('reads one secret in one statement: key row and sealed entry, or why not', async () => {
    const repository = testbed.moduleRef.get(SecretEntriesRepository);
    const ns = secretNamespace();
    await expect(repository.findLiveWithKey(ns.id, 'k')).resolves.toEqual({ keyRecord: null, entry: null, revision: 0 });
    await expect(entries.get(callIn(ns), 'k')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    // A bulk read of a namespace that never held a secret still says its revision: the log's head, as the statement saw it.
    const head = async () => Number((await testbed.dataSource.query('SELECT revision FROM change_log_head'))[0].revision);
    const before = await head();
    const { revision, ...read } = await entries.bulkGet(callIn(ns), ['k']);
    expect(read).toEqual({ items: [], missing: ['k'] });
    expect(revision).toBeGreaterThanOrEqual(before);
    expect(revision).toBeLessThanOrEqual(await head());

    await entries.put(callIn(ns), 'k', { value: 'first', valueType: ValueType.STRING });
    await entries.put(callIn(ns), 'k', { value: 'second', valueType: ValueType.STRING });
    const found = await repository.findLiveWithKey(ns.id, 'k');
    expect(found.keyRecord).toMatchObject({
      id: ns.id,
      applicationId: ns.applicationId,
      deleted: false,
      wrappedDataKey: { masterKeyId: expect.any(String) },
    });
    expect(found.entry).toMatchObject({ key_path: 'k', version: 2, ciphertext: expect.any(Buffer) });
    await expect(repository.findLiveWithKey(ns.id, 'absent')).resolves.toMatchObject({ keyRecord: { id: ns.id }, entry: null });
    await expect(entries.get(callIn(ns), 'k')).resolves.toMatchObject({ value: 'second', version: 2 });

    const plan: Array<{ 'QUERY PLAN': string }> = await testbed.dataSource.query(`EXPLAIN ${LIVE_ENTRIES_WITH_KEYS.text}`, [
      [ns.id, ns.id],
      ['k', 'absent'],
    ]);
    // The namespace table of this test is a few rows, which Postgres may rightly read whole; entries and versions go by index.
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).not.toMatch(/Seq Scan on secret_(entry|version)/);

    // Reads asked together share one statement, and each gets its own answer.
    const statements = jest.spyOn(repository as unknown as { findManyLiveWithKey: () => Promise<unknown> }, 'findManyLiveWithKey');
    const [present, absent, elsewhere] = await Promise.all([
      repository.findLiveWithKey(ns.id, 'k'),
      repository.findLiveWithKey(ns.id, 'absent'),
      repository.findLiveWithKey(secretNamespace().id, 'k'),
    ]);
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    expect(present.entry).toMatchObject({ key_path: 'k', version: 2 });
    expect(absent).toMatchObject({ keyRecord: { id: ns.id }, entry: null });
    expect(elsewhere).toEqual({ keyRecord: null, entry: null, revision: 0 });

    await testbed.moduleRef.get(SecretNamespacesRepository).purge(ns.id);
    await expect(entries.get(callIn(ns), 'k')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });

  it('answers deletes in a namespace never written to as of absent entries, not of an unknown namespace', async () => {
    const ns = secretNamespace();
    await expect(entries.delete(callIn(ns), 'absent')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    await expect(entries.bulkDelete(callIn(ns), ['a', 'b'])).resolves.toEqual({ deleted: [], missing: ['a', 'b'] });
    await testbed.moduleRef.get(SecretNamespacesRepository).purge(ns.id);
    await expect(entries.delete(callIn(ns), 'absent')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
    await expect(entries.bulkDelete(callIn(ns), ['a'])).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });

  it('keeps answering reads when a migration adds columns while it runs: prepared statements list theirs', async () => {
    const ns = secretNamespace();
    await entries.put(callIn(ns), 'k', { value: 'v', valueType: ValueType.STRING });
    const read = async (): Promise<void> => {
      for (let round = 0; round < 5; round++) {
        await entries.get(callIn(ns), 'k');
        await entries.bulkGet(callIn(ns), ['k']);
      }
    };
    const tables = ['secret_namespace', 'secret_entry', 'secret_version'];
    await read();
    for (const table of tables) await testbed.dataSource.query(`ALTER TABLE ${table} ADD COLUMN probe_added int`);
    try {
      await read();
    } finally {
      for (const table of tables) await testbed.dataSource.query(`ALTER TABLE ${table} DROP COLUMN probe_added`);
    }
  });

  it('gives each namespace its own data key, wrapped by the master key', async () => {
    const [a, b] = [secretNamespace(), secretNamespace()];
    await entries.put(callIn(a), 'k', { value: 'same', valueType: ValueType.STRING });
    await entries.put(callIn(b), 'k', { value: 'same', valueType: ValueType.STRING });
    const rows: Array<{ master_key_id: string; wrapped_data_key: Buffer }> = await testbed.dataSource.query(
      'SELECT master_key_id, wrapped_data_key FROM secret_namespace WHERE id = ANY($1::uuid[])',
      [[a.id, b.id]],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.master_key_id === 'default')).toBe(true);
    expect(rows[0]!.wrapped_data_key.equals(rows[1]!.wrapped_data_key)).toBe(false);
  });

  it('serialises concurrent writers of one key: every version is kept, none twice', async () => {
    const ns = secretNamespace();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => entries.put(callIn(ns), 'hot', { value: `w${i}`, valueType: ValueType.STRING })),
    );
    expect(results.map((result) => result.entry.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const history = await versions.list(callIn(ns), 'hot', { limit: 100 });
    expect(history.items.map((item) => item.version)).toEqual(Array.from({ length: 12 }, (_, i) => 12 - i));
    expect(history.items.at(-1)!.change).toBe(SecretChange.CREATE);
  });

  it('leaves nothing behind when a bulk set fails half-way in the database', async () => {
    const ns = secretNamespace();
    await entries.put(callIn(ns), 'bulk/b', { value: 'before', valueType: ValueType.STRING });
    // A trigger makes the database refuse the second write, after the first one went in.
    await testbed.dataSource.query(`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT key_path FROM secret_entry WHERE id = NEW.entry_id) = 'bulk/boom' THEN RAISE EXCEPTION 'refused by test'; END IF;
        RETURN NEW;
      END $$`);
    await testbed.dataSource.query(
      'CREATE TRIGGER refuse_boom BEFORE INSERT ON secret_version FOR EACH ROW EXECUTE FUNCTION refuse_boom()',
    );
    try {
      await expect(
        entries.bulkSet(callIn(ns), [
          { key: 'bulk/a', value: 'x', valueType: ValueType.STRING },
          { key: 'bulk/b', value: 'y', valueType: ValueType.STRING },
          { key: 'bulk/boom', value: 'z', valueType: ValueType.STRING },
        ]),
      ).rejects.toThrow('refused by test');
    } finally {
      await testbed.dataSource.query('DROP TRIGGER refuse_boom ON secret_version; DROP FUNCTION refuse_boom()');
    }
    await expect(entries.get(callIn(ns), 'bulk/a')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    expect(await entries.get(callIn(ns), 'bulk/b')).toMatchObject({ value: 'before', version: 1 });
    expect((await versions.list(callIn(ns), 'bulk/b', {})).items).toHaveLength(1);
  });

  it('starts an expired entry again at version 1 with a fresh history, and the sweep removes expired ones', async () => {
    const ns = secretNamespace();
    await entries.put(callIn(ns), 'old', { value: 'v1', valueType: ValueType.STRING });
    await entries.put(callIn(ns), 'old', { value: 'v2', valueType: ValueType.STRING });
    await testbed.dataSource.query(`UPDATE secret_entry SET expires_at = now() - interval '1 second' WHERE namespace_id = $1`, [ns.id]);
    await expect(entries.get(callIn(ns), 'old')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    await expect(versions.rotate(callIn(ns), 'old', {})).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
    const again = await entries.put(callIn(ns), 'old', { value: 'fresh', valueType: ValueType.STRING, expectedVersion: 0 });
    expect(again).toMatchObject({ created: true, entry: { version: 1, value: 'fresh' } });
    expect((await versions.list(callIn(ns), 'old', {})).items.map((item) => item.version)).toEqual([1]);

    await entries.put(callIn(ns), 'gone', { value: 'x', valueType: ValueType.STRING });
    await testbed.dataSource.query(`UPDATE secret_entry SET expires_at = now() - interval '1 second' WHERE key_path = 'gone'`);
    await expect(testbed.moduleRef.get(SecretExpirySweeper).sweep()).resolves.toBe(1);
    const left = await testbed.dataSource.query(
      'SELECT count(*)::int AS n FROM secret_version v JOIN secret_entry e ON e.id = v.entry_id WHERE e.key_path = $1',
      ['gone'],
    );
    expect(left[0].n).toBe(0);
  });

  it('keeps the metadata and expiry of an entry across rotation and rollback', async () => {
    const ns = secretNamespace();
    const { entry } = await entries.put(callIn(ns), 'k', {
      value: 7,
      valueType: ValueType.NUMBER,
      metadata: { owner: 'ops' },
      ttlSeconds: 3600,
    });
    expect(entry.expiresAt).not.toBeNull();
    const rotated = await versions.rotate(callIn(ns), 'k', { value: 8 });
    expect(rotated).toMatchObject({ value: 8, valueType: ValueType.NUMBER, metadata: { owner: 'ops' }, expiresAt: entry.expiresAt });
    await expect(versions.rotate(callIn(ns), 'k', { value: 'eight' })).rejects.toMatchObject({ code: ErrorCode.INVALID_VALUE });
    const rolledBack = await versions.rollback(callIn(ns), 'k', { version: 1 });
    expect(rolledBack).toMatchObject({ value: 7, version: 3, metadata: { owner: 'ops' }, expiresAt: rotated.expiresAt });
  });

  it('reckons expiry by the database clock, not the service clock', async () => {
    const ns = secretNamespace();
    const [{ now: databaseNow }] = await testbed.dataSource.query('SELECT now()');
    // A service whose clock is an hour behind would have written entries that were expired already.
    const [single, bulk] = await withServiceClockOffset(
      -3_600_000,
      async () =>
        [
          await entries.put(callIn(ns), 'skewed', { value: 'x', valueType: ValueType.STRING, ttlSeconds: 60 }),
          await entries.bulkSet(callIn(ns), [{ key: 'skewed/bulk', value: 'y', valueType: ValueType.STRING, ttlSeconds: 60 }]),
        ] as const,
    );
    for (const expiresAt of [single.entry.expiresAt, bulk.items[0]!.expiresAt]) {
      expect(new Date(expiresAt!).getTime() - new Date(databaseNow).getTime()).toBeGreaterThanOrEqual(60_000);
      expect(new Date(expiresAt!).getTime() - new Date(databaseNow).getTime()).toBeLessThan(70_000);
    }
    await expect(entries.bulkGet(callIn(ns), ['skewed', 'skewed/bulk'])).resolves.toMatchObject({ missing: [] });
  });

  it('never lets a write outlive a purge that runs alongside it', async () => {
    for (let round = 0; round < 5; round++) {
      const ns = secretNamespace();
      await entries.put(callIn(ns), 'seed', { value: 'x', valueType: ValueType.STRING });
      const items = Array.from({ length: 200 }, (_, i) => ({ key: `k/${i}`, value: `v${i}`, valueType: ValueType.STRING }));
      const bulk = entries.bulkSet(callIn(ns), items).then(
        () => 'written',
        (error: { code?: string }) => error.code,
      );
      await new Promise((resolve) => setTimeout(resolve, round * 5));
      await testbed.moduleRef.get(SecretNamespacesRepository).purge(ns.id);
      expect(['written', ErrorCode.NAMESPACE_NOT_FOUND]).toContain(await bulk);
      const left = await testbed.dataSource.query('SELECT count(*)::int AS n FROM secret_entry WHERE namespace_id = $1', [ns.id]);
      expect(left[0].n).toBe(0);
    }
  });

  it('purges a namespace: entries, versions and data key go, and the namespace stays closed', async () => {
    const ns = secretNamespace();
    await entries.put(callIn(ns), 'a', { value: 'x', valueType: ValueType.STRING });
    await entries.put(callIn(ns), 'b', { value: 'y', valueType: ValueType.STRING });
    await expect(testbed.moduleRef.get(SecretNamespacesRepository).purge(ns.id)).resolves.toBe(2);
    const row = (await testbed.dataSource.query('SELECT * FROM secret_namespace WHERE id = $1', [ns.id]))[0];
    expect(row).toMatchObject({ master_key_id: null, wrapped_data_key: null, deleted_at: expect.any(Date) });
    await expect(entries.put(callIn(ns), 'c', { value: 'z', valueType: ValueType.STRING })).rejects.toMatchObject({
      code: ErrorCode.NAMESPACE_NOT_FOUND,
    });
    await expect(testbed.moduleRef.get(DataKeys).withExistingKey(ns.id, async () => 'unreachable')).rejects.toMatchObject({
      code: ErrorCode.NAMESPACE_NOT_FOUND,
    });
  });

  describe('keys-only listing', () => {
    const planted = 'planted-keys-only-5d1e8a40';
    const reader = aPrincipal(['kv-namespace:read'], { applications: ['billing'] });

    it('lists keys and folders without reading a ciphertext: no data key is unwrapped, even one whose master key is gone', async () => {
      const ns = secretNamespace();
      for (const key of ['db/password', 'db/user', 'api/token', 'top']) {
        await entries.put(callIn(ns), key, { value: `${planted}-${key}`, valueType: ValueType.STRING, metadata: { owner: 'ops' } });
      }
      await entries.put(callIn(ns), 'db/password', { value: planted, valueType: ValueType.STRING });
      // The namespace's data key can no longer be unwrapped: any read of a value fails, a listing of keys does not.
      await testbed.dataSource.query(`UPDATE secret_namespace SET master_key_id = 'retired' WHERE id = $1`, [ns.id]);
      await expect(entries.get(callIn(ns), 'db/password')).rejects.toMatchObject({ code: ErrorCode.MASTER_KEY_UNAVAILABLE });
      const dataKeys = testbed.moduleRef.get(DataKeys);
      const lent = [jest.spyOn(dataKeys, 'withExistingKey'), jest.spyOn(dataKeys, 'withLoadedKey')];
      try {
        const top = await entries.listKeys(callIn(ns, {}, reader), { delimiter: '/' });
        expect(top).toEqual({
          items: [
            {
              id: expect.any(String),
              namespaceId: ns.id,
              keyPath: 'top',
              valueType: ValueType.STRING,
              version: 1,
              metadata: { owner: 'ops' },
              expiresAt: null,
              createdAt: expect.any(String),
              updatedAt: expect.any(String),
            },
          ],
          folders: ['api/', 'db/'],
          nextCursor: null,
          revision: expect.any(Number),
        });
        const db = await entries.listKeys(callIn(ns, {}, reader), { prefix: 'db/', delimiter: '/' });
        expect(db.items.map((item) => [item.keyPath, item.version, item.metadata])).toEqual([
          ['db/password', 2, null],
          ['db/user', 1, { owner: 'ops' }],
        ]);
        expect(JSON.stringify([top, db])).not.toContain(planted);
        for (const spy of lent) expect(spy).not.toHaveBeenCalled();
      } finally {
        for (const spy of lent) spy.mockRestore();
      }
    });

    it('pages through a level, a folder of many secrets counting as one item', async () => {
      const ns = secretNamespace();
      await entries.bulkSet(
        callIn(ns),
        Array.from({ length: 300 }, (_, i) => ({ key: `big/${i}`, value: `${planted}-${i}`, valueType: ValueType.STRING })),
      );
      for (const key of ['a', 'c/x', 'd']) await entries.put(callIn(ns), key, { value: planted, valueType: ValueType.STRING });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await entries.listKeys(callIn(ns, {}, reader), { delimiter: '/', limit: 1, cursor });
        seen.push(...page.items.map((item) => item.keyPath), ...page.folders);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen).toEqual(['a', 'big/', 'c/', 'd']);
      const all = await entries.listKeys(callIn(ns, {}, reader), { prefix: 'big/', limit: 1000 });
      expect(all.items).toHaveLength(300);
    });

    it('reads secret_entry alone, by its key index, never secret_version', async () => {
      const ns = secretNamespace();
      const { sql, parameters } = keyListingStatement(SECRET_KEY_LISTING_SOURCE, ns.id, {
        prefix: 'db/',
        delimiter: '/',
        resume: null,
        rows: 101,
      });
      const plan: Array<{ 'QUERY PLAN': string }> = await testbed.dataSource.query(`EXPLAIN ${withHeadRevisionSql(sql)}`, parameters);
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan using secret_entry_namespace_id_key_path_key/);
      expect(text).not.toMatch(/secret_version|Seq Scan on secret_entry/);
    });

    it('needs namespace read, not entry read', async () => {
      const ns = secretNamespace();
      await expect(
        entries.listKeys(callIn(ns, {}, aPrincipal(['kv-entry:read'], { applications: ['billing'] })), {}),
      ).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:read' });
      await expect(entries.listKeys(callIn(ns, {}, reader), {})).resolves.toMatchObject({ items: [], folders: [] });
    });
  });
});
