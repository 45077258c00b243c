import type { KvEvent } from '@app/contracts';
import { ChangeCaller, ChangeOrigin, changeOriginOf } from '@app/entry-store';

/**
 * A stand-in for OutboxTransactions in unit specs: runs each change "in a transaction" (the manager is
 * the string 'tx-manager') with the origin of its call, and keeps the events it would have appended to
 * the outbox; runs a one-statement change as it is.
 */
export function recordingOutbox() {
  const events: KvEvent[] = [];
  const changes = {
    run: jest.fn(
      async (call: ChangeCaller, work: (manager: unknown, origin: ChangeOrigin) => Promise<{ result: unknown; events: KvEvent[] }>) => {
        const change = await work('tx-manager', changeOriginOf(call));
        events.push(...change.events);
        return change.result;
      },
    ),
    // A one-statement change appends its events in SQL: what it passes is seen by the repository mock.
    runStatement: jest.fn(async (call: ChangeCaller, statement: (origin: ChangeOrigin) => Promise<unknown>) =>
      statement(changeOriginOf(call)),
    ),
  };
  return { events, changes };
}
