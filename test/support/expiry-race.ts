import { KV_EVENTS_EXCHANGE } from '@app/contracts';
import type { DataSource, QueryRunner } from 'typeorm';
import type { EventTap } from './event-tap';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function lockWaiters(dataSource: DataSource): Promise<number> {
  const rows: Array<{ n: number }> = await dataSource.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

/** Entries of one namespace in a service's entry table, raced against their own expiry. */
export class RacedEntries {
  constructor(
    private readonly dataSource: DataSource,
    /** `entry` or `secret_entry`: a table with `namespace_id`, `key_path` and `expires_at`. */
    private readonly entryTable: string,
    private readonly namespaceId: string,
    private readonly keys: readonly string[],
  ) {}

  /** Sets them to expire `ms` from now (in the past if negative), by the database's clock. */
  async expireIn(ms: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.entryTable} SET expires_at = clock_timestamp() + $3::integer * interval '1 millisecond'
        WHERE namespace_id = $1 AND key_path = ANY($2::text[])`,
      [this.namespaceId, this.keys, ms],
    );
  }

  /** How many of them are still live, as every read judges it. */
  async liveCount(): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${this.entryTable}
        WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND (expires_at IS NULL OR expires_at > now())`,
      [this.namespaceId, this.keys],
    );
    return rows[0]!.n;
  }

  /** Waits until none of them is live any more. */
  async untilExpired(): Promise<void> {
    while ((await this.liveCount()) > 0) await sleep(20);
  }

  /** Their row locks, held until `release`. */
  async holdLocks(): Promise<HeldEntryLocks> {
    const holder = this.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT id FROM ${this.entryTable} WHERE namespace_id = $1 AND key_path = ANY($2::text[]) FOR UPDATE`, [
      this.namespaceId,
      this.keys,
    ]);
    return new HeldEntryLocks(this.dataSource, holder);
  }
}

/**
 * Row locks held by a transaction of the test's own, as a concurrent writer would hold them, so that the
 * changes started meanwhile take each lock only once it is released, whatever time it is then.
 */
export class HeldEntryLocks {
  private readonly started: Array<Promise<PromiseSettledResult<unknown>>> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly holder: QueryRunner,
  ) {}

  /** Starts `change` and resolves once it waits on a lock (one more waiter than before). */
  async start(change: () => Promise<unknown>): Promise<void> {
    const waitersBefore = await lockWaiters(this.dataSource);
    this.started.push(
      change().then(
        (value): PromiseSettledResult<unknown> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<unknown> => ({ status: 'rejected', reason }),
      ),
    );
    for (let waited = 0; (await lockWaiters(this.dataSource)) <= waitersBefore; waited += 10) {
      if (waited > 10_000) throw new Error('the change never waited on the held locks');
      await sleep(10);
    }
  }

  /** Ends the holding transaction, changing nothing; how each started change settled, in the order they started. */
  async release(): Promise<Array<PromiseSettledResult<unknown>>> {
    try {
      await this.holder.commitTransaction();
    } finally {
      await this.holder.release();
    }
    return Promise.all(this.started);
  }
}

/** An event of one key, as the race tests compare them: type, version and actor. */
export type KeyEvent = [type: string, version: unknown, actor: unknown];

const entryEventsOf = (tap: EventTap, namespaceId: string) =>
  tap.on(KV_EVENTS_EXCHANGE).filter(({ body }) => body.namespaceId === namespaceId && typeof body.keyPath === 'string');

/**
 * The entry events of the namespace on `kv.events`, by key, in the order they were published, once `count` of them
 * arrived, or as they are after a few seconds: a wrong count then shows as a difference from what was expected.
 */
export async function eventsByKey(tap: EventTap, namespaceId: string, count: number): Promise<Record<string, KeyEvent[]>> {
  await tap.waitFor(() => entryEventsOf(tap, namespaceId).length >= count, 5000).catch(() => undefined);
  const byKey: Record<string, KeyEvent[]> = {};
  for (const { body } of entryEventsOf(tap, namespaceId))
    (byKey[String(body.keyPath)] ??= []).push([String(body.type), body.version, body.actor]);
  return byKey;
}

/** The `kv.entry.expired` events of the namespace, as `entryId@version`: each must occur once. */
export function expiredVersions(tap: EventTap, namespaceId: string): string[] {
  return tap
    .on(KV_EVENTS_EXCHANGE)
    .filter(({ body }) => body.namespaceId === namespaceId && body.type === 'kv.entry.expired')
    .map(({ body }) => `${String(body.entryId)}@${String(body.version)}`);
}
