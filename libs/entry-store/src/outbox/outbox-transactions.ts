import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KvEvent } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { Change, ChangeCaller, ChangeOrigin, changeOriginOf } from './change';
import { OutboxRelay } from './outbox-relay';

/** What a change returns: its result for the caller and the events it caused. */

/**
 * The only way entry services change data: `work` runs in a transaction, the events it returns are
 * appended to the outbox in that same transaction (so an event exists exactly when its change
 * committed), and the relay is woken once it committed. Append after the statements that lock the
 * changed rows, which the end of `work` always is (see OUTBOX_TABLE_V1). The caller's call goes in
 * whole, so that what the change records of it is derived here, once (`changeOriginOf`).
 */
@Injectable()
export class OutboxTransactions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(call: ChangeCaller, work: (manager: EntityManager, origin: ChangeOrigin) => Promise<Change<T>>): Promise<T> {
    const origin = changeOriginOf(call);
    const { result, events } = await this.dataSource.transaction(async (manager) => {
      const change = await work(manager, origin);
      await appendToOutbox(manager, change.expired ?? [], null);
      await appendToOutbox(manager, change.events, origin.clientAddress);
      return change;
    });
    if (events.length > 0) this.relay.wake();
    return result;
  }

  /**
   * A change that is one statement appending its own events (see `appendingWrittenEventsSql`): in
   * autocommit that statement is the transaction, one round trip where `run` takes four.
   */
  async runStatement<T>(call: ChangeCaller, statement: (origin: ChangeOrigin) => Promise<T>): Promise<T> {
    const result = await statement(changeOriginOf(call));
    this.relay.wake();
    return result;
  }
}

/** One statement for all the events, in their order. */
export async function appendToOutbox(manager: EntityManager, events: readonly KvEvent[], clientAddress: string | null): Promise<void> {
  if (events.length === 0) return;
  await manager.query(
    `INSERT INTO outbox_event (id, routing_key, event, client_address)
     SELECT (item->>'id')::uuid, item->>'type', item, $2 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS items(item, position)
      ORDER BY position`,
    [JSON.stringify(events), clientAddress],
  );
}
