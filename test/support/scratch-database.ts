import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

/** Where tests reach the real Postgres server; override with KV_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL = process.env.KV_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(TEST_POSTGRES_URL, work);
}

/** Runs one statement on the database at `url`, over a connection of its own, and returns its rows. */
export function queryDatabase<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, parameters)).rows as T[]);
}

/** A fresh, uniquely named database on the real server, so that concurrent test runs never meet. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `work` on a connection to a fresh scratch database with no migration run yet; drops the database after. */
export async function withScratchDataSource(
  prefix: string,
  options: (url: string) => DataSourceOptions,
  work: (dataSource: DataSource) => Promise<void>,
): Promise<void> {
  const database = await createScratchDatabase(prefix);
  const dataSource = await new DataSource(options(database.url)).initialize();
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

/** A scratch database with a service's migrations run, the way the platform's start-up runs them. */
export async function createMigratedScratchDatabase(prefix: string, options: (url: string) => DataSourceOptions): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(prefix);
  const migrator = new DataSource(options(database.url));
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }
  return database;
}
