import { DataSource } from 'typeorm';
import { ScratchDatabase, createScratchDatabase } from '../../../test/support/scratch-database';
import { kvEntryDataSourceOptions } from '../src/database/data-source';

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** The tables kv-entry's migrations make, and their reverts take back. */
const TABLES = ['change_log', 'change_log_head', 'entry', 'idempotency_key', 'namespace', 'outbox_event', 'request_outcome'];

describe('kv-entry migrations', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('kv_entry_it');
    dataSource = new DataSource(kvEntryDataSourceOptions(database.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('run all, revert all, run all again', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(dataSource)).toEqual(TABLES);
    expect(await dataSource.showMigrations()).toBe(false);

    for (let reverted = 0; reverted < applied.length; reverted += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables(dataSource)).toEqual([]);
    const remaining: unknown[] = await dataSource.query('SELECT * FROM migrations');
    expect(remaining).toEqual([]);

    const reapplied = await dataSource.runMigrations({ transaction: 'each' });
    expect(reapplied.map((migration) => migration.name)).toEqual(applied.map((migration) => migration.name));
    expect(await tables(dataSource)).toEqual(TABLES);
  });

  it('gives key paths byte-order collation and indexes expiry only where set', async () => {
    const [column] = await dataSource.query(
      `SELECT collation_name FROM information_schema.columns WHERE table_name = 'entry' AND column_name = 'key_path'`,
    );
    expect(column).toEqual({ collation_name: 'C' });
    const [index] = await dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'entry_expires_at_idx'`);
    expect(index.indexdef).toMatch(/WHERE \(expires_at IS NOT NULL\)/);
  });

  it('adds the secret version cap as a nullable column', async () => {
    const [column] = await dataSource.query(
      `SELECT data_type, is_nullable FROM information_schema.columns WHERE table_name = 'namespace' AND column_name = 'max_secret_versions'`,
    );
    expect(column).toEqual({ data_type: 'integer', is_nullable: 'YES' });
  });

  it('rejects an unknown value type at the database too', async () => {
    const [namespace] = await dataSource.query(`INSERT INTO namespace (application_id, name) VALUES ('app', 'ns') RETURNING id`);
    await expect(
      dataSource.query(`INSERT INTO entry (namespace_id, key_path, value, value_type) VALUES ($1, 'k', '1', 'FLOAT')`, [namespace.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
