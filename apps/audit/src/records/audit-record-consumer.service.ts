import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { AUDIT_DEAD_LETTER_EXCHANGE, AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { QueueType, assertAuditTopology, connectToBroker, isDataError, isUniqueViolation, sqlStateOf } from '@app/service-kit';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { AuditEnv } from '../config/audit.env';
import { IndexedAuditRecord, RefusedAuditRecord, parseAuditMessage } from './audit-message';
import { AuditRecordsRepository } from './audit-records.repository';

/**
 * One delivery waiting to be settled: its valid records, to be stored, the records the contract refused,
 * to be dead-lettered one by one, and the channel the delivery must be acknowledged on.
 */
interface PendingRecord {
  channel: Channel;
  message: ConsumeMessage;
  records: IndexedAuditRecord[];
  refused: RefusedAuditRecord[];
}

/** One record of a batch being stored, with the delivery it came in. */
interface BatchRecord extends IndexedAuditRecord {
  delivery: PendingRecord;
}

const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 30_000;
/** A dead letter the broker has not confirmed in this time leaves its delivery unacknowledged, to come again. */
const DEAD_LETTER_CONFIRM_TIMEOUT_MS = 10_000;
/** Headers of a record dead-lettered on its own: why, and the message and position it came in. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-kv-refused-reason',
  messageId: 'x-kv-source-message-id',
  index: 'x-kv-source-index',
} as const;

/**
 * Errors of the records themselves (SQLSTATE classes 22 data exception, 23 integrity): retrying cannot
 * help. A clash on the sequence is not one: it means the chain head lags the stored rows (tampering, a
 * manual insert, a restore), which no record is to blame for, so it is retried and logged instead of
 * dead-lettering every record that follows.
 */
function isRecordError(error: unknown): boolean {
  return isDataError(error) && !isUniqueViolation(error, 'audit_record_pkey');
}

function recordCount(pending: readonly PendingRecord[]): number {
  return pending.reduce((count, delivery) => count + delivery.records.length, 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Stores `kv.audit` records in batches (KV_AUDIT_BATCH_LINGER_MS, KV_AUDIT_BATCH_SIZE), acknowledged only after the commit:
 * a crash means redelivery, and unique ids make a redelivered record a no-op. A record the contract or the database refuses
 * is dead-lettered alone (why, in a header) and the rest stored; a database outage leaves deliveries unacknowledged and
 * retries with back-off, so nothing is lost and the prefetch stops the inflow. Logs message ids, never bodies.
 */
@Injectable()
export class AuditRecordConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuditRecordConsumer');
  private readonly url: string;
  private readonly queueType: QueueType;
  private readonly prefetch: number;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private connection: AmqpConnectionManager | undefined;
  private channelWrapper: ChannelWrapper | undefined;
  /** A confirm channel of its own for the records dead-lettered one by one. */
  private deadLetters: ChannelWrapper | undefined;
  /** Channels whose deliveries can still be acknowledged. */
  private readonly openChannels = new Set<Channel>();
  private readonly consumerTags = new Map<Channel, string>();
  private pending: PendingRecord[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopping = false;
  /** Ends the back-off wait early, so that a shutdown does not wait out a retry delay. */
  private wakeUp: (() => void) | undefined;
  /** Records refused since start as older than the horizon of pruned ids (see AuditRecordsRepository.append). */
  private refusedTooOld = 0;

  constructor(
    private readonly records: AuditRecordsRepository,
    config: ConfigService<AuditEnv, true>,
  ) {
    this.url = config.get('KV_RABBITMQ_URL', { infer: true });
    this.queueType = config.get('KV_RABBITMQ_QUEUE_TYPE', { infer: true });
    this.prefetch = config.get('KV_AUDIT_PREFETCH', { infer: true });
    this.batchSize = config.get('KV_AUDIT_BATCH_SIZE', { infer: true });
    this.lingerMs = config.get('KV_AUDIT_BATCH_LINGER_MS', { infer: true });
  }

  onModuleInit(): void {
    this.connection = connectToBroker(this.url, this.logger);
    this.connection.on('connect', () => this.logger.log(`broker connected; consuming ${this.queueType} queue ${AUDIT_RECORDS_QUEUE}`));
    this.channelWrapper = this.connection.createChannel({
      name: 'audit-records',
      confirm: false,
      setup: (channel: Channel) => this.setUp(channel),
    });
    // Set-up fails when the connection drops meanwhile and is retried on the next connect; unlistened, the event would end the process.
    this.channelWrapper.on('error', (error: Error) => this.logger.warn(`consumer set-up failed (${error.message}); retrying on reconnect`));
    this.deadLetters = this.connection.createChannel({
      name: 'audit-dead-letters',
      confirm: true,
      setup: (channel: Channel) => assertAuditTopology(channel, this.queueType),
    });
    this.deadLetters.on('error', (error: Error) =>
      this.logger.warn(`dead-letter channel set-up failed (${error.message}); retrying on reconnect`),
    );
  }

  /** Resolves once the queue is declared and consumed (for tests and readiness). */
  async whenConsuming(): Promise<void> {
    await Promise.all([this.channelWrapper?.waitForConnect(), this.deadLetters?.waitForConnect()]);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    for (const [channel, consumerTag] of this.consumerTags) await channel.cancel(consumerTag).catch(() => undefined);
    // Store what was received while the database answers; whatever is left unacknowledged is redelivered.
    this.flushNow();
    await this.flushing;
    await this.channelWrapper?.close().catch(() => undefined);
    await this.deadLetters?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  /** Run on every (re)connect: topology, prefetch, consumer. Idempotent. */
  private async setUp(channel: Channel): Promise<void> {
    await assertAuditTopology(channel, this.queueType);
    await channel.prefetch(this.prefetch);
    // Open before consuming: the first deliveries can arrive before consume() resolves.
    this.openChannels.add(channel);
    channel.once('close', () => {
      this.openChannels.delete(channel);
      this.consumerTags.delete(channel);
    });
    const { consumerTag } = await channel.consume(AUDIT_RECORDS_QUEUE, (message) => {
      if (message !== null) this.receive(channel, message);
    });
    this.consumerTags.set(channel, consumerTag);
  }

  private receive(channel: Channel, message: ConsumeMessage): void {
    const parsed = parseAuditMessage(message.content);
    if (!parsed.ok) {
      this.deadLetter(channel, message, parsed.reason);
      return;
    }
    this.pending.push({ channel, message, records: parsed.records, refused: parsed.refused });
    if (recordCount(this.pending) >= this.batchSize) this.flushNow();
    else this.lingerTimer ??= setTimeout(() => this.flushNow(), this.lingerMs);
  }

  /** Starts writing unless a write is running (which takes everything pending before it ends). */
  private flushNow(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    if (this.flushing !== undefined || this.pending.length === 0) return;
    this.flushing = this.flushPending().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Writes what is pending, about KV_AUDIT_BATCH_SIZE records a transaction (a delivery is never split). */
  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      let deliveries = 0;
      for (let records = 0; deliveries < this.pending.length && records < this.batchSize; deliveries++)
        records += this.pending[deliveries]!.records.length;
      await this.store(this.pending.splice(0, deliveries));
    }
  }

  /**
   * Stores a batch and settles its deliveries, retrying while the database is away. A record the database
   * refuses itself is found by halving the batch, so that only it is dead-lettered.
   */
  private async store(batch: PendingRecord[]): Promise<void> {
    let delay = FIRST_RETRY_DELAY_MS;
    for (;;) {
      // Deliveries of a closed channel are redelivered on the new one: storing them now would be wasted.
      const live = batch.filter((pending) => this.openChannels.has(pending.channel));
      if (live.length === 0) return;
      try {
        const refusedByDatabase = await this.appendIsolating(
          live.flatMap((delivery) => delivery.records.map((indexed) => ({ delivery, ...indexed }))),
        );
        await Promise.all(live.map((delivery) => this.settleDelivery(delivery, refusedByDatabase.get(delivery) ?? [])));
        return;
      } catch (error) {
        // A retry stores nothing twice (ids are unique), so whatever part of the batch was committed is skipped.
        if (this.stopping) return;
        this.logger.warn(`storing ${recordCount(live)} audit records failed (${errorText(error)}); retrying in ${delay} ms`);
        await this.backOff(delay);
        if (this.stopping) return;
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  /**
   * Appends the records in one transaction; when the database refuses one of them (a data or integrity
   * error), each half is tried on its own, down to the refused records, which are given back by delivery.
   * Anything else (the database away) is thrown, for the whole batch to be retried.
   */
  private async appendIsolating(records: readonly BatchRecord[]): Promise<Map<PendingRecord, RefusedAuditRecord[]>> {
    const refused = new Map<PendingRecord, RefusedAuditRecord[]>();
    const attempt = async (part: readonly BatchRecord[]): Promise<void> => {
      if (part.length === 0) return;
      try {
        const { tooOld } = await this.records.append(
          part.map(({ record }) => record),
          new Date(),
        );
        if (tooOld > 0) {
          this.refusedTooOld += tooOld;
          this.logger.warn(
            `${tooOld} audit records not stored: they occurred before the horizon of pruned ids, so each is a pruned one ` +
              `again or came too late to tell (${this.refusedTooOld} since start)`,
          );
        }
      } catch (error) {
        if (!isRecordError(error)) throw error;
        if (part.length > 1) {
          const half = Math.ceil(part.length / 2);
          await attempt(part.slice(0, half));
          await attempt(part.slice(half));
          return;
        }
        const { delivery, index, record } = part[0]!;
        const list = refused.get(delivery) ?? [];
        list.push({ index, body: record, reason: `record ${record.id} refused by the database (SQLSTATE ${sqlStateOf(error)})` });
        refused.set(delivery, list);
      }
    };
    await attempt(records);
    return refused;
  }

  /**
   * Dead-letters the refused records of a delivery whose other records are stored, then acknowledges it.
   * A dead letter the broker does not confirm leaves the delivery to be redelivered: its stored records
   * are skipped then, and its refused ones dead-lettered again.
   */
  private async settleDelivery(delivery: PendingRecord, refusedByDatabase: RefusedAuditRecord[]): Promise<void> {
    const refused = [...delivery.refused, ...refusedByDatabase];
    try {
      await Promise.all(refused.map((record) => this.publishDeadLetter(delivery.message, record)));
    } catch (error) {
      this.logger.warn(`dead-lettering ${refused.length} audit records failed (${errorText(error)}); their message will come again`);
      this.settle(delivery.channel, (channel) => channel.nack(delivery.message, false, true));
      return;
    }
    this.settle(delivery.channel, (channel) => channel.ack(delivery.message));
  }

  private async publishDeadLetter(message: ConsumeMessage, refused: RefusedAuditRecord): Promise<void> {
    const sourceId = message.properties.messageId ?? '(no messageId)';
    this.logger.warn(`audit record ${refused.index} of message ${sourceId} dead-lettered: ${refused.reason}`);
    await this.deadLetters!.publish(AUDIT_DEAD_LETTER_EXCHANGE, '', Buffer.from(JSON.stringify(refused.body)), {
      persistent: true,
      contentType: 'application/json',
      messageId: randomUUID(),
      headers: {
        [DEAD_LETTER_HEADERS.reason]: refused.reason,
        [DEAD_LETTER_HEADERS.messageId]: sourceId,
        [DEAD_LETTER_HEADERS.index]: refused.index,
      },
      timeout: DEAD_LETTER_CONFIRM_TIMEOUT_MS,
    });
  }

  private backOff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private deadLetter(channel: Channel, message: ConsumeMessage, reason: string): void {
    this.logger.warn(`audit message ${message.properties.messageId ?? '(no messageId)'} dead-lettered: ${reason}`);
    this.settle(channel, (open) => open.nack(message, false, false));
  }

  /** Acknowledges on the delivery's own channel; if it closed meanwhile, the broker redelivers instead. */
  private settle(channel: Channel, settle: (channel: Channel) => void): void {
    if (!this.openChannels.has(channel)) return;
    try {
      settle(channel);
    } catch (error) {
      this.logger.warn(`acknowledging an audit delivery failed (${errorText(error)}); it will be redelivered`);
    }
  }
}
