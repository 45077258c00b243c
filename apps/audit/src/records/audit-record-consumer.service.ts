import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { assertAuditTopology, connectToBroker } from '@app/service-kit';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { AuditEnv } from '../config/audit.env';
import { IncomingAuditRecord, parseAuditMessage } from './audit-message';
import { AuditRecordsRepository } from './audit-records.repository';

/** The valid records of one delivery, waiting to be stored, and the channel the delivery must be acknowledged on. */
interface PendingRecord {
  channel: Channel;
  message: ConsumeMessage;
  records: IncomingAuditRecord[];
}

const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 30_000;

function sqlState(error: unknown): string | undefined {
  const code = (error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors of the records themselves (SQLSTATE classes 22 data exception, 23 integrity): retrying cannot
 * help. A clash on the sequence is not one: it means the chain head lags the stored rows (tampering, a
 * manual insert, a restore), which no record is to blame for, so it is retried and logged instead of
 * dead-lettering every record that follows.
 */
function isRecordError(error: unknown): boolean {
  const code = sqlState(error);
  if (code === '23505' && constraintOf(error) === 'audit_record_pkey') return false;
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { driverError?: { constraint?: unknown }; constraint?: unknown }).driverError?.constraint ?? (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

function recordCount(pending: readonly PendingRecord[]): number {
  return pending.reduce((count, delivery) => count + delivery.records.length, 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Stores the audit records that arrive on `kv.audit`. Deliveries are collected for up to
 * KV_AUDIT_BATCH_LINGER_MS or KV_AUDIT_BATCH_SIZE records, written in one transaction and acknowledged
 * only after the commit: a crash before it means redelivery, and a redelivered record is acknowledged
 * without being stored again (ids are unique). A message that is not a valid record is dead-lettered;
 * a database outage keeps the deliveries unacknowledged and retries with back-off, so that nothing is
 * lost and the prefetch stops the inflow meanwhile. Logs message ids, never bodies.
 */
@Injectable()
export class AuditRecordConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuditRecordConsumer');
  private readonly url: string;
  private readonly prefetch: number;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private connection: AmqpConnectionManager | undefined;
  private channelWrapper: ChannelWrapper | undefined;
  /** Channels whose deliveries can still be acknowledged. */
  private readonly openChannels = new Set<Channel>();
  private readonly consumerTags = new Map<Channel, string>();
  private pending: PendingRecord[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopping = false;
  /** Ends the back-off wait early, so that a shutdown does not wait out a retry delay. */
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly records: AuditRecordsRepository,
    config: ConfigService<AuditEnv, true>,
  ) {
    this.url = config.get('KV_RABBITMQ_URL', { infer: true });
    this.prefetch = config.get('KV_AUDIT_PREFETCH', { infer: true });
    this.batchSize = config.get('KV_AUDIT_BATCH_SIZE', { infer: true });
    this.lingerMs = config.get('KV_AUDIT_BATCH_LINGER_MS', { infer: true });
  }

  onModuleInit(): void {
    this.connection = connectToBroker(this.url, this.logger);
    this.connection.on('connect', () => this.logger.log(`broker connected; consuming ${AUDIT_RECORDS_QUEUE}`));
    this.channelWrapper = this.connection.createChannel({ name: 'audit-records', confirm: false, setup: (channel: Channel) => this.setUp(channel) });
    // Set-up fails when the connection drops meanwhile and is retried on the next connect; unlistened, the event would end the process.
    this.channelWrapper.on('error', (error: Error) => this.logger.warn(`consumer set-up failed (${error.message}); retrying on reconnect`));
  }

  /** Resolves once the queue is declared and consumed (for tests and readiness). */
  async whenConsuming(): Promise<void> {
    await this.channelWrapper?.waitForConnect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    for (const [channel, consumerTag] of this.consumerTags) await channel.cancel(consumerTag).catch(() => undefined);
    // Store what was received while the database answers; whatever is left unacknowledged is redelivered.
    this.flushNow();
    await this.flushing;
    await this.channelWrapper?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  /** Run on every (re)connect: topology, prefetch, consumer. Idempotent. */
  private async setUp(channel: Channel): Promise<void> {
    await assertAuditTopology(channel);
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
    this.pending.push({ channel, message, records: parsed.records });
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
      for (let records = 0; deliveries < this.pending.length && records < this.batchSize; deliveries++) records += this.pending[deliveries]!.records.length;
      await this.store(this.pending.splice(0, deliveries));
    }
  }

  /**
   * Stores a batch and acknowledges it, retrying while the database is away. When the database refuses
   * a record itself, the batch is split so that only that record is dead-lettered.
   */
  private async store(batch: PendingRecord[]): Promise<void> {
    let delay = FIRST_RETRY_DELAY_MS;
    for (;;) {
      // Deliveries of a closed channel are redelivered on the new one: storing them now would be wasted.
      const live = batch.filter((pending) => this.openChannels.has(pending.channel));
      if (live.length === 0) return;
      try {
        await this.records.append(live.flatMap((pending) => pending.records), new Date());
        for (const pending of live) this.settle(pending.channel, (channel) => channel.ack(pending.message));
        return;
      } catch (error) {
        if (isRecordError(error)) {
          if (live.length === 1) this.deadLetter(live[0]!.channel, live[0]!.message, `refused by the database (SQLSTATE ${sqlState(error)})`);
          else for (const pending of live) await this.store([pending]);
          return;
        }
        if (this.stopping) return;
        this.logger.warn(`storing ${live.length} audit records failed (${errorText(error)}); retrying in ${delay} ms`);
        await this.backOff(delay);
        if (this.stopping) return;
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
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
