import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChangeLogAdvanced, ChangeSource, KV_CHANGES_EXCHANGE, KV_EVENTS_EXCHANGE, KvEvent, auditRecordOfEvent } from '@app/contracts';
import { DataSource } from 'typeorm';
import type { EntryServiceEnv } from '../config/entry-service-env';
import { ConfirmPublisher, METRICS_REGISTRY } from '@app/service-kit';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { ChangeLog } from '../changes/change-log';

interface OutboxRow {
  sequence: string;
  event: KvEvent;
  client_address: string | null;
}

// One relay at a time per database publishes, so events leave in sequence order whatever the replica count.
const RELAY_LOCK_KEY = 0x6b76_6f62; // "kvob"

// A round's statements, prepared: under a stream of writes the relay runs many small rounds.
const TRY_RELAY_LOCK = preparedStatement('outbox_try_relay_lock', 'SELECT pg_try_advisory_xact_lock($1) AS locked');
const NEXT_EVENTS = preparedStatement(
  'outbox_next_events',
  'SELECT sequence, event, client_address FROM outbox_event ORDER BY sequence LIMIT $1',
);

const NOTHING_PUBLISHED: RelayRound = { published: 0, revision: 0 };

/** Which service's relay this is: the source its changes are logged under. Provided by OutboxModule.forService. */
export const CHANGE_SOURCE = Symbol('CHANGE_SOURCE');

/** What a round did: how many events it published, and the change log's head after it. */
export interface RelayRound {
  published: number;
  revision: number;
}

/**
 * Publishes the outbox: each event on `kv.events` and its audit record on `kv.audit`, in sequence order,
 * and moves the rows to the change log (ChangeLog.appendPublished) only once the broker confirmed both. A failure
 * (broker away, timeout) leaves the rows for the next round, so every committed change is published at least once;
 * consumers deduplicate on the id. Once a round committed, `kv.changes` hears how far the log goes. Runs on an
 * interval, and at once when `wake()` says a local commit added events.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly publisher: ConfirmPublisher;
  private readonly pollIntervalMs: number;
  private readonly batch: number;
  private readonly publishTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = false;
  private failing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changeLog: ChangeLog,
    @Inject(CHANGE_SOURCE) private readonly source: ChangeSource,
    config: ConfigService<EntryServiceEnv, true>,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    if (registry) {
      new Gauge({
        name: 'kv_outbox_backlog',
        help: 'Events committed but not yet confirmed by the broker',
        registers: [registry],
        collect: async function (this: Gauge) {
          // A scrape must not fail with the database: the gauge keeps its last value meanwhile.
          try {
            const rows: Array<{ count: number }> = await dataSource.query('SELECT count(*)::int AS count FROM outbox_event');
            this.set(rows[0]?.count ?? 0);
          } catch {
            return;
          }
        },
      });
    }
    this.publisher = new ConfirmPublisher(
      config.get('KV_RABBITMQ_URL', { infer: true }),
      'outbox',
      config.get('KV_RABBITMQ_QUEUE_TYPE', { infer: true }),
    );
    this.pollIntervalMs = config.get('KV_OUTBOX_POLL_INTERVAL_MS', { infer: true });
    this.batch = config.get('KV_OUTBOX_BATCH', { infer: true });
    this.publishTimeoutMs = config.get('KV_OUTBOX_PUBLISH_TIMEOUT_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.publisher.close();
  }

  /** Asks for a round now; rounds never overlap, and a wake during a round runs one more after it. */
  wake(): void {
    if (this.stopped) return;
    this.wanted = true;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      // A wake that came after the last check of `wanted` but before this line would otherwise wait a tick.
      if (this.wanted) this.wake();
    });
  }

  private async drain(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        let round: RelayRound;
        do {
          round = await this.publishBatch();
          if (round.published === 0) break;
          if (this.failing) {
            this.logger.log('outbox relay publishing again');
            this.failing = false;
          }
          this.announce(round.revision);
        } while (round.published === this.batch && !this.stopped);
      } catch (error) {
        // The rows stay; the next tick retries. Events carry no values, so the message is safe to log.
        if (!this.failing) this.logger.warn(`outbox relay cannot publish (${(error as Error).message}); retrying`);
        this.failing = true;
        // Whatever of the failed round still waits in the channel must not go out ahead of its retry.
        await this.publisher.discardPending();
      }
    }
  }

  /** One round in one transaction: lock, read a batch in order, publish and await every confirm, move to the change log. */
  async publishBatch(): Promise<RelayRound> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await queryPrepared<{ locked: boolean }>(manager, TRY_RELAY_LOCK, [RELAY_LOCK_KEY]);
      if (!locked) return NOTHING_PUBLISHED;
      const rows = await queryPrepared<OutboxRow>(manager, NEXT_EVENTS, [this.batch]);
      if (rows.length === 0) return NOTHING_PUBLISHED;
      // Each event is its own message (consumers bind by type); their audit records share messages.
      await Promise.all([
        ...rows.map(({ event }) =>
          this.publisher.publishJson(KV_EVENTS_EXCHANGE, event.type, event, { messageId: event.id, timeoutMs: this.publishTimeoutMs }),
        ),
        this.publisher.publishAuditRecords(
          rows.map(({ event, client_address }) => auditRecordOfEvent(event, client_address)),
          this.publishTimeoutMs,
        ),
      ]);
      const revision = await this.changeLog.appendPublished(
        manager,
        rows.map((row) => row.sequence),
      );
      this.logger.debug(`published ${rows.length} events up to sequence ${rows[rows.length - 1]!.sequence}, revision ${revision}`);
      return { published: rows.length, revision };
    });
  }

  /** The doorbell of watchers (see KV_CHANGES_EXCHANGE): best effort, as they also poll the log. */
  private announce(revision: number): void {
    const advanced: ChangeLogAdvanced = { source: this.source, revision };
    this.publisher
      .publishJson(KV_CHANGES_EXCHANGE, this.source, advanced, {
        messageId: `${this.source}:${revision}`,
        timeoutMs: this.publishTimeoutMs,
      })
      .catch(() => undefined);
  }
}
