import { Logger } from '@nestjs/common';
import {
  AUDIT_DEAD_LETTER_EXCHANGE,
  AUDIT_DEAD_LETTER_QUEUE,
  AUDIT_RECORD_ROUTING_KEY,
  AUDIT_RECORDS_QUEUE,
  AuditRecordMessage,
  KV_AUDIT_EXCHANGE,
  KV_CHANGES_EXCHANGE,
  KV_EVENTS_EXCHANGE,
  MAX_AUDIT_RECORDS_PER_MESSAGE,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, Options } from 'amqplib';
import { connectToBroker } from './broker-connection';
import { QueueType, durableQueueOptions } from './queue-types';

export interface PublishJsonOptions {
  /** The message id: consumers deduplicate on it. */
  messageId: string;
  /** Reject when the broker has not confirmed within this time (the message may still arrive later). */
  timeoutMs?: number;
}

/**
 * A quorum `audit.records` dead-letters at-least-once: a dead letter stays in it until the dead-letter queue has confirmed it,
 * where the default strategy would drop it should that fail. RabbitMQ takes this strategy only with `reject-publish` overflow.
 */
const AT_LEAST_ONCE_DEAD_LETTERING = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

/** The declaration of `audit.records` as a queue of `type` (KV_RABBITMQ_QUEUE_TYPE). */
function auditRecordsQueueOptions(type: QueueType): Options.AssertQueue {
  return { ...durableQueueOptions(type, AT_LEAST_ONCE_DEAD_LETTERING), deadLetterExchange: AUDIT_DEAD_LETTER_EXCHANGE };
}

/**
 * The audit trail's exchange, its durable queue and the queue's dead letters, as queues of `queueType`. Declared by every
 * publisher as well as by the audit service: the broker confirms a message that no queue takes, so a record must never be
 * published before its queue exists (say, while the audit service has not started yet).
 */
export async function assertAuditTopology(channel: Channel, queueType: QueueType): Promise<void> {
  await channel.assertExchange(KV_AUDIT_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(AUDIT_DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(AUDIT_DEAD_LETTER_QUEUE, durableQueueOptions(queueType));
  await channel.bindQueue(AUDIT_DEAD_LETTER_QUEUE, AUDIT_DEAD_LETTER_EXCHANGE, '');
  await channel.assertQueue(AUDIT_RECORDS_QUEUE, auditRecordsQueueOptions(queueType));
  await channel.bindQueue(AUDIT_RECORDS_QUEUE, KV_AUDIT_EXCHANGE, 'audit.#');
}

/** What this platform publishes to; idempotent, run on every (re)connect. */
export async function assertPlatformTopology(channel: Channel, auditQueueType: QueueType): Promise<void> {
  await channel.assertExchange(KV_EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(KV_CHANGES_EXCHANGE, 'fanout', { durable: true });
  await assertAuditTopology(channel, auditQueueType);
}

/**
 * Publishes persistent JSON messages on a confirm channel and resolves only once the broker has taken
 * responsibility for each one (publisher confirm). Reconnects by itself; a message published while the
 * broker is away waits (and is re-sent after a reconnect until confirmed) unless its timeout expires.
 * Confirms of messages published together arrive together, so concurrent publishes cost little.
 */
export class ConfirmPublisher {
  private readonly logger: Logger;
  private readonly connection: AmqpConnectionManager;
  private channel: ChannelWrapper;

  /** `auditQueueType`: the type of the audit queues it declares (KV_RABBITMQ_QUEUE_TYPE). */
  constructor(
    url: string,
    private readonly name: string,
    private readonly auditQueueType: QueueType,
  ) {
    this.logger = new Logger(`ConfirmPublisher(${name})`);
    this.connection = connectToBroker(url, this.logger);
    this.connection.on('connect', () => this.logger.log('broker connected'));
    this.connection.on('connectFailed', ({ err }) => this.logger.warn(`cannot reach the broker (${err.message}); retrying`));
    this.channel = this.openChannel(name);
  }

  private openChannel(name: string): ChannelWrapper {
    const channel = this.connection.createChannel({
      name,
      confirm: true,
      setup: (setUp: Channel) => assertPlatformTopology(setUp, this.auditQueueType),
    });
    // Setting the channel up again fails when the connection drops meanwhile; the manager retries on the next
    // connect. Unlistened, this 'error' event would be thrown and end the process.
    channel.on('error', (error: Error) => this.logger.warn(`channel setup failed (${error.message}); retrying on reconnect`));
    return channel;
  }

  /**
   * Drops every message still waiting to be sent or confirmed (their promises reject) and starts a fresh
   * channel. After a failed batch, a caller that will publish the batch again calls this first, so that
   * leftovers of the failed attempt cannot go out ahead of the retry and reorder what it publishes.
   */
  async discardPending(): Promise<void> {
    const stale = this.channel;
    this.channel = this.openChannel(this.name);
    await stale.close().catch(() => undefined);
  }

  /** Whether a broker connection is up right now. */
  isConnected(): boolean {
    return this.connection.isConnected();
  }

  async publishJson(exchange: string, routingKey: string, body: unknown, options: PublishJsonOptions): Promise<void> {
    await this.channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(body)), {
      persistent: true,
      contentType: 'application/json',
      messageId: options.messageId,
      timeout: options.timeoutMs,
    });
  }

  /**
   * Audit records on kv.audit, confirmed: one alone as itself (message id = its id), several as arrays of
   * at most MAX_AUDIT_RECORDS_PER_MESSAGE, one message each; the audit service stores each record once by id.
   */
  async publishAuditRecords(records: readonly AuditRecordMessage[], timeoutMs?: number): Promise<void> {
    if (records.length === 1) {
      await this.publishJson(KV_AUDIT_EXCHANGE, AUDIT_RECORD_ROUTING_KEY, records[0], { messageId: records[0]!.id, timeoutMs });
      return;
    }
    const messages: Promise<void>[] = [];
    for (let start = 0; start < records.length; start += MAX_AUDIT_RECORDS_PER_MESSAGE) {
      const batch = records.slice(start, start + MAX_AUDIT_RECORDS_PER_MESSAGE);
      messages.push(this.publishJson(KV_AUDIT_EXCHANGE, AUDIT_RECORD_ROUTING_KEY, batch, { messageId: randomUUID(), timeoutMs }));
    }
    await Promise.all(messages);
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}
