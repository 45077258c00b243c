import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database on the server unless it exists already. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`unsafe database name: ${database}`);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${database}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Runs the pending migrations of one service's database; returns the names of those applied. */
export async function runMigrations(options: DataSourceOptions): Promise<string[]> {
  const dataSource = new DataSource({ ...options, logging: false });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
