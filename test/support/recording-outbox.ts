import type { KvEvent } from '@app/contracts';

/**
 * A stand-in for OutboxTransactions in unit specs: runs each change "in a transaction" (the manager is
 * the string 'tx-manager') and keeps the events it would have appended to the outbox; runs a
 * one-statement change as it is.
 */
export function recordingOutbox() {
  const events: KvEvent[] = [];
  const changes = {
    run: jest.fn(async (_origin: unknown, work: (manager: unknown) => Promise<{ result: unknown; events: KvEvent[] }>) => {
      const change = await work('tx-manager');
      events.push(...change.events);
      return change.result;
    }),
    // A one-statement change appends its events in SQL: what it passes is seen by the repository mock.
    runStatement: jest.fn(async (statement: () => Promise<unknown>) => statement()),
  };
  return { events, changes };
}
