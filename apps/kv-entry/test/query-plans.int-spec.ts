import {
  ENTRY_KEY_LISTING_SOURCE,
  EntriesRepository,
  LIVE_ENTRIES_AMONG,
  LIVE_ENTRIES_WITH_NAMESPACES,
} from '../src/entries/entries.repository';
import { keyListingStatement, likePrefixPattern, withHeadRevisionSql } from '@app/entry-store';
import { queryPrepared } from '@app/service-kit/database';
import { FIND_MANY_BY_ID, NamespacesRepository } from '../src/namespaces/namespaces.repository';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { EntriesService } from '../src/entries/entries.service';
import { ValueType } from '@app/contracts';
import { useKvEntryTestbed } from './kv-entry-testing';
import { anAdmin } from '../../../test/support/principals';

/** The hot statements must use the indexes the migration builds for them. */
describe('query plans', () => {
  const testbed = useKvEntryTestbed();
  let nsId: string;

  beforeAll(async () => {
    const namespaces = testbed.moduleRef.get(NamespacesService);
    nsId = (await namespaces.create({ actor: anAdmin() }, { name: 'big', applicationId: 'billing' })).id;
    const other = (await namespaces.create({ actor: anAdmin() }, { name: 'other', applicationId: 'billing' })).id;
    await testbed.dataSource.query(
      `INSERT INTO entry (namespace_id, key_path, value, value_type, expires_at)
       SELECT ns, 'svc' || (i % 50) || '/key/' || i, '"x"', 'STRING', CASE WHEN i % 10 = 0 THEN now() + interval '1 hour' END
         FROM generate_series(1, 20000) AS i, unnest(ARRAY[$1::uuid, $2::uuid]) AS ns`,
      [nsId, other],
    );
    // Enough namespaces for the planner to prefer the primary key over reading the table, as it would in production.
    await testbed.dataSource.query(
      `INSERT INTO namespace (application_id, name, is_secret) SELECT 'filler', 'ns-' || i, false FROM generate_series(1, 2000) AS i`,
    );
    await testbed.dataSource.query('ANALYZE entry');
    await testbed.dataSource.query('ANALYZE namespace');
  });

  /** EXPLAIN with the same parameters the repository sends (the unnamed statement is planned with their values). */
  async function plan(sql: string, parameters: unknown[]): Promise<string> {
    const rows: Array<{ 'QUERY PLAN': string }> = await testbed.dataSource.query(`EXPLAIN ${sql}`, parameters);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  /**
   * The plan Postgres settles on for a prepared statement after its first executions: the generic one,
   * made without the parameter values. `args` are SQL literals.
   */
  async function genericPlan(sql: string, args: string[]): Promise<string> {
    return testbed.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await manager.query(`PREPARE generic_probe AS ${sql}`);
      const rows: Array<{ 'QUERY PLAN': string }> = await manager.query(`EXPLAIN EXECUTE generic_probe(${args.join(', ')})`);
      await manager.query('DEALLOCATE generic_probe');
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it('the prepared reads keep their index lookups in the generic plan', async () => {
    const single = await genericPlan(LIVE_ENTRIES_WITH_NAMESPACES.text, [
      `ARRAY['${nsId}', '${nsId}']::uuid[]`,
      `ARRAY['svc7/key/7', 'svc8/key/8']`,
    ]);
    expect(single).toMatch(/Index Scan using namespace_pkey/);
    expect(single).toMatch(/Index Scan using entry_namespace_id_key_path_key/);
    const bulk = await genericPlan(LIVE_ENTRIES_AMONG.text, [`'${nsId}'`, `ARRAY['svc7/key/7', 'svc8/key/8']`]);
    expect(bulk).toMatch(/Index Scan using entry_namespace_id_key_path_key/);
    expect(`${single}\n${bulk}`).not.toMatch(/Seq Scan on entry/);
  });

  it('a prefix listing is an index range scan on (namespace_id, key_path), ordered by the index', async () => {
    const explained = await plan(
      `SELECT * FROM entry WHERE namespace_id = $1 AND (expires_at IS NULL OR expires_at > now()) AND key_path LIKE $2 AND key_path > $3
        ORDER BY key_path LIMIT $4`,
      [nsId, likePrefixPattern('svc1_/'), 'svc1_/key/1', 101],
    );
    expect(explained).toMatch(/Index Scan using entry_namespace_id_key_path_key/);
    // The escaped prefix `svc1\_/` became the range ['svc1_/', 'svc1_0') on the index.
    expect(explained).toMatch(/Index Cond: .*key_path >= 'svc1_\/'::text\) AND \(key_path < 'svc1_0'::text\)/s);
    expect(explained).not.toMatch(/Sort|Seq Scan/);
  });

  it('the repository listing returns what that plan finds', async () => {
    const { entries: rows } = await testbed.moduleRef.get(EntriesRepository).list(nsId, likePrefixPattern('svc1/'), null, 5);
    const expected = Array.from({ length: 20000 }, (_, index) => index + 1)
      .filter((i) => i % 50 === 1)
      .map((i) => `svc1/key/${i}`)
      .sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
      .slice(0, 5);
    expect(rows.map((row) => row.keyPath)).toEqual(expected);
  });

  /** A plan node of EXPLAIN (ANALYZE, FORMAT JSON), with the nodes under it. */
  interface PlanNode {
    'Node Type': string;
    'Relation Name'?: string;
    'Index Name'?: string;
    'Actual Rows': number;
    'Actual Loops': number;
    'Rows Removed by Filter'?: number;
    Plans?: PlanNode[];
  }

  const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

  /** Runs the statement and says how each scan of `entry` read, and how many of its rows they touched in all. */
  async function analyzed(sql: string, parameters: unknown[]): Promise<{ scans: string[]; entryRowsRead: number; text: string }> {
    const rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> = await testbed.dataSource.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      parameters,
    );
    const nodes = nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
    const entryScans = nodes.filter((node) => node['Relation Name'] === 'entry');
    return {
      scans: entryScans.map((node) => `${node['Node Type']} ${node['Index Name'] ?? ''}`.trim()),
      entryRowsRead: entryScans.reduce(
        (sum, node) => sum + (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'],
        0,
      ),
      text: JSON.stringify(nodes.map((node) => node['Node Type'])),
    };
  }

  const source = ENTRY_KEY_LISTING_SOURCE;

  it("a listing by level seeks the key index once per item: a page of folders never reads the folders' keys", async () => {
    // 50 folders of 400 keys each at the top, 10 a page (plus the one that says a next page follows).
    const { sql, parameters } = keyListingStatement(source, nsId, { prefix: '', delimiter: '/', resume: null, rows: 11 });
    const top = await analyzed(withHeadRevisionSql(sql), parameters);
    expect(top.scans.length).toBeGreaterThan(0);
    expect(top.scans.every((scan) => scan === 'Index Scan entry_namespace_id_key_path_key')).toBe(true);
    expect(top.text).toMatch(/Recursive Union/);
    expect(top.entryRowsRead).toBe(11);

    // One level down, resumed past a folder: 'svc1/' holds the one folder 'svc1/key/' of 400 keys.
    const below = keyListingStatement(source, nsId, {
      prefix: 'svc1/',
      delimiter: '/',
      resume: { after: 'svc1/', from: 'svc10' },
      rows: 11,
    });
    const resumed = await analyzed(withHeadRevisionSql(below.sql), below.parameters);
    expect(resumed.scans.every((scan) => scan === 'Index Scan entry_namespace_id_key_path_key')).toBe(true);
    expect(resumed.entryRowsRead).toBeLessThanOrEqual(2);
  });

  it('the repository walks the same levels the rows hold', async () => {
    const repository = testbed.moduleRef.get(EntriesRepository);
    const { rows } = await repository.listKeys(nsId, { prefix: '', delimiter: '/', resume: null, rows: 100 });
    const folders = Array.from({ length: 50 }, (_, i) => `svc${i}/`).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(rows.map((row) => row.folder)).toEqual(folders);
    const inside = await repository.listKeys(nsId, { prefix: 'svc1/', delimiter: '/', resume: null, rows: 100 });
    expect(inside.rows.map((row) => row.folder)).toEqual(['svc1/key/']);
  });

  it('a keys-only listing without a delimiter is an index range scan, like a listing with values', async () => {
    const { sql, parameters } = keyListingStatement(source, nsId, {
      prefix: 'svc1_/',
      delimiter: null,
      resume: { after: 'svc1_/key/1', from: 'svc1_/key/1' },
      rows: 101,
    });
    const explained = await plan(sql, parameters);
    expect(explained).toMatch(/Index Scan using entry_namespace_id_key_path_key/);
    expect(explained).toMatch(/Index Cond: .*key_path >= 'svc1_\/'::text\) AND \(key_path < 'svc1_0'::text\)/s);
    expect(explained).not.toMatch(/Sort|Seq Scan/);
  });

  it('single reads are two primary-key lookups each, in one statement', async () => {
    const explained = await plan(LIVE_ENTRIES_WITH_NAMESPACES.text, [
      [nsId, nsId],
      ['svc7/key/7', 'svc8/key/8'],
    ]);
    expect(explained).toMatch(/Index Scan using namespace_pkey/);
    expect(explained).toMatch(/Index Scan using entry_namespace_id_key_path_key/);
    expect(explained).not.toMatch(/Seq Scan on entry/);
  });

  it('a single read finds the namespace without an entry, and nothing for an unknown namespace', async () => {
    const repository = testbed.moduleRef.get(EntriesRepository);
    const found = await repository.findLiveWithNamespace(nsId, 'svc7/key/7');
    expect(found.namespace).toMatchObject({ id: nsId, name: 'big', applicationId: 'billing', isSecret: false });
    expect(found.entry).toMatchObject({ namespaceId: nsId, keyPath: 'svc7/key/7', value: 'x', version: 1 });
    expect(found.namespace?.createdAt).toBeInstanceOf(Date);
    await expect(repository.findLiveWithNamespace(nsId, 'no/such/key')).resolves.toMatchObject({ namespace: { id: nsId }, entry: null });
    await expect(repository.findLiveWithNamespace('00000000-0000-4000-8000-000000000000', 'svc7/key/7')).resolves.toEqual({
      namespace: null,
      entry: null,
      revision: 0,
    });
  });

  it('namespace lookups outside a transaction share one statement per turn, by index', async () => {
    const repository = testbed.moduleRef.get(NamespacesRepository);
    const explained = await plan(FIND_MANY_BY_ID.text, [[nsId, nsId]]);
    expect(explained).toMatch(/Index Scan using namespace_pkey/);
    const statements = jest.spyOn(repository as unknown as { findManyById: () => Promise<unknown> }, 'findManyById');
    const [found, unknown] = await Promise.all([repository.findById(nsId), repository.findById('00000000-0000-4000-8000-000000000000')]);
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    expect(found).toMatchObject({ id: nsId, name: 'big' });
    expect(unknown).toBeNull();
  });

  it('single reads asked in one turn share one statement, and each gets its own answer', async () => {
    const repository = testbed.moduleRef.get(EntriesRepository);
    const statements = jest.spyOn(
      repository as unknown as { findManyLiveWithNamespace: () => Promise<unknown> },
      'findManyLiveWithNamespace',
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    const [hit, missing, elsewhere, again] = await Promise.all([
      repository.findLiveWithNamespace(nsId, 'svc7/key/7'),
      repository.findLiveWithNamespace(nsId, 'no/such/key'),
      repository.findLiveWithNamespace(unknown, 'svc7/key/7'),
      repository.findLiveWithNamespace(nsId, 'svc7/key/7'),
    ]);
    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    expect(hit.entry).toMatchObject({ keyPath: 'svc7/key/7' });
    expect(again.entry).toMatchObject({ keyPath: 'svc7/key/7' });
    expect(missing).toMatchObject({ namespace: { id: nsId }, entry: null });
    expect(elsewhere).toEqual({ namespace: null, entry: null, revision: 0 });
  });

  it('sends the hot statements by name: planned once per connection, also inside a transaction', async () => {
    const names = await testbed.dataSource.transaction(async (manager) => {
      await queryPrepared(manager, FIND_MANY_BY_ID, [[nsId]]);
      const rows: Array<{ name: string }> = await manager.query('SELECT name FROM pg_prepared_statements');
      return rows.map((row) => row.name);
    });
    expect(names).toContain(FIND_MANY_BY_ID.name);
  });

  it('keeps answering when a migration adds columns while it runs (rolling update): prepared statements list theirs', async () => {
    const entries = testbed.moduleRef.get(EntriesService);
    const string = (value: string) => ({ value, valueType: ValueType.STRING });
    const exercise = async (): Promise<void> => {
      // Sequential calls, several rounds: the pool hands the same connections back, with their prepared statements.
      for (let round = 0; round < 5; round++) {
        const { entry } = await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'probe/one', string(`v${round}`));
        await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'probe/one', { ...string('w'), expectedVersion: entry.version });
        await entries.get({ actor: anAdmin(), namespaceId: nsId }, 'probe/one');
        await entries.bulkSet({ actor: anAdmin(), namespaceId: nsId }, [{ key: 'probe/many', ...string('x') }]);
        await entries.bulkGet({ actor: anAdmin(), namespaceId: nsId }, ['probe/one', 'probe/many']);
      }
    };
    await exercise();
    await testbed.dataSource.query('ALTER TABLE entry ADD COLUMN probe_added int');
    await testbed.dataSource.query('ALTER TABLE namespace ADD COLUMN probe_added int');
    try {
      await exercise();
    } finally {
      await testbed.dataSource.query('ALTER TABLE entry DROP COLUMN probe_added');
      await testbed.dataSource.query('ALTER TABLE namespace DROP COLUMN probe_added');
    }
  });

  it('the expiry sweep finds its rows through the partial index', async () => {
    const explained = await plan('SELECT ctid FROM entry WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED', [1000]);
    expect(explained).toMatch(/entry_expires_at_idx/);
  });
});
