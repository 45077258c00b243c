import { queueDepth } from './rabbitmq-vhost';
import { queryDatabase } from './scratch-database';
import type { TestPlatformState } from './test-platform';
import { eventually } from './workload';

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
          queryDatabase<{ n: number }>(url, 'SELECT count(*)::int AS n FROM outbox_event'),
        ),
      );
      return outboxes.every((rows) => rows[0]!.n === 0) && queueDepth(rabbitmqUrl, 'audit.records') === 0;
    },
    timeoutMs,
    500,
  );
}
