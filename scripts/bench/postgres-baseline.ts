/**
 * Baseline 3, the storage limit: point SELECT and single-row UPSERT by primary key through `pg`, on a
 * table shaped like the entries (text key, ~200-byte value), in a scratch database. N callers loop for
 * the duration on a pool the size of a service's (KV_DATABASE_POOL_SIZE, 10): what one service's
 * database access could do at best, and it keeps the server below its connection limit.
 */
import { Pool } from 'pg';
import { createScratchDatabase } from '../../test/support/scratch-database';
import { runLoop } from './loop';
import { Baseline, Measurement } from './report';
import { keyAt, SEED_ENTRIES, valueAt } from './seed';
import { summaryLine } from './markdown';

export const SERVICE_POOL_SIZE = 10;

const SELECT = 'SELECT key, value, version FROM bench_entries WHERE key = $1';
const UPSERT =
  'INSERT INTO bench_entries (key, value, version) VALUES ($1, $2, 1) ' +
  'ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = bench_entries.version + 1';

export async function runPostgresBaselines(
  connections: readonly number[],
  durationSeconds: number,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const database = await createScratchDatabase('kvbench_pg');
  const pool = new Pool({ connectionString: database.url, max: SERVICE_POOL_SIZE });
  // An idle client the server ends (the scratch database is dropped WITH (FORCE) right after) must not
  // crash the run: pg emits that on the pool, and an unlistened 'error' would end the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('CREATE TABLE bench_entries (key text PRIMARY KEY, value text NOT NULL, version integer NOT NULL)');
    await pool.query('INSERT INTO bench_entries (key, value, version) SELECT k, v, 1 FROM unnest($1::text[], $2::text[]) AS t(k, v)', [
      Array.from({ length: SEED_ENTRIES }, (_, i) => keyAt(i)),
      Array.from({ length: SEED_ENTRIES }, (_, i) => valueAt(i)),
    ]);
    await pool.query('ANALYZE bench_entries');
    const results: Measurement[] = [];
    for (const callers of connections) {
      results.push(await runLoop({ name: Baseline.PG_SELECT, callers, durationSeconds, operation: (i) => pool.query(SELECT, [keyAt(i)]) }));
      log(summaryLine(results[results.length - 1]));
      results.push(
        await runLoop({
          name: Baseline.PG_UPSERT,
          callers,
          durationSeconds,
          operation: (i) => pool.query(UPSERT, [keyAt(i), valueAt(i, 1)]),
        }),
      );
      log(summaryLine(results[results.length - 1]));
    }
    return results;
  } finally {
    await pool.end();
    await database.drop();
  }
}
