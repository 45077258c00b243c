import type { KvEvent } from '@app/contracts';

/**
 * A stand-in for OutboxTransactions in unit specs: runs each change "in a transaction" (the manager is
 * the string 'tx-manager') and keeps the events it would have appended to the outbox.
 */
export function recordingOutbox() {
  const events: KvEvent[] = [];
  const changes = {
    run: jest.fn(async (_origin: unknown, work: (manager: unknown) => Promise<{ result: unknown; events: KvEvent[] }>) => {
      const change = await work('tx-manager');
      events.push(...change.events);
      return change.result;
    }),
  };
  return { events, changes };
}
