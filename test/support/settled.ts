import { Client } from 'pg';
import { queueDepth } from './rabbitmq-vhost';
import type { TestPlatformState } from './test-platform';
import { eventually } from './workload';

/** The rows of one statement on the database at `url`, over a connection of its own. */
export async function query<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Waits until both outboxes are empty and the audit queue holds nothing, ready or unacknowledged: every
 * committed change's event is out and its audit record stored. Whether that happened within `timeoutMs`.
 */
export function settled(state: TestPlatformState, timeoutMs = 60_000): Promise<boolean> {
  const { databaseUrls, rabbitmqUrl } = state;
  return eventually(
    async () => {
      const outboxes = await Promise.all(
        [databaseUrls['kv-entry']!, databaseUrls.secrets!].map((url) =>
          query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM outbox_event'),
        ),
      );
      return outboxes.every((rows) => rows[0]!.n === 0) && queueDepth(rabbitmqUrl, 'audit.records') === 0;
    },
    timeoutMs,
    500,
  );
}
