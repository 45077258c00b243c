import { DatabaseError, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A statement Postgres plans once per connection: TypeORM sends every query unnamed, planned again on each call, which for
 * the hot single-row statements cost more than the lookup (measured: docs/benchmark.md). Names are unique per text (see
 * `preparedStatement`). Columns are listed, never `*`: Postgres refuses a plan whose result type a migration changed
 * ("cached plan must not change result type"), which a rolling update would hit.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const registered = new Map<string, string>();

/** Declares a statement once, at module load; a second text under the same name is a programming error. */
export function preparedStatement(name: string, text: string): PreparedStatement {
  const known = registered.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement ${name} is declared twice with different texts`);
  registered.set(name, text);
  return { name, text };
}

/**
 * Runs `statement` on TypeORM's own connections: inside a transaction on its connection (`source` is the
 * transaction's EntityManager), else on the pool (`beforeQuery` runs once a pool connection is in hand). Errors are the driver's, with the same `code` fields
 * the error filters read from TypeORM's.
 */
export async function queryPrepared<R extends QueryResultRow>(
  source: DataSource | EntityManager,
  statement: PreparedStatement,
  values: readonly unknown[],
  options: { beforeQuery?: () => void } = {},
): Promise<R[]> {
  const config = { name: statement.name, text: statement.text, values: values as unknown[] };
  const queryRunner = 'queryRunner' in source ? source.queryRunner : undefined;
  if (queryRunner !== undefined && queryRunner.isTransactionActive) {
    const client = (await queryRunner.connect()) as PoolClient;
    return (await client.query<R>(config)).rows;
  }
  const dataSource = 'driver' in source ? source : source.connection;
  const client = await (dataSource.driver as unknown as { master: Pool }).master.connect();
  try {
    // Once a connection is in hand (the wait for one can be long), the caller may still decline to send.
    options.beforeQuery?.();
  } catch (error) {
    client.release();
    throw error;
  }
  try {
    const result = await client.query<R>(config);
    client.release();
    return result.rows;
  } catch (error) {
    // The server refused the statement (a constraint, a conflict): the connection and its prepared
    // statements are sound, so it goes back to the pool. Anything else (a broken socket) retires it.
    client.release(error instanceof DatabaseError ? undefined : (error as Error));
    throw error;
  }
}
