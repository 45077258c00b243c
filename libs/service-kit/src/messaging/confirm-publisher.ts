import { Logger } from '@nestjs/common';
import { KV_AUDIT_EXCHANGE, KV_EVENTS_EXCHANGE } from '@app/contracts';
import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { rmqSocketOptions } from '../rpc/rmq-options';

export interface PublishJsonOptions {
  /** The message id: consumers deduplicate on it. */
  messageId: string;
  /** Reject when the broker has not confirmed within this time (the message may still arrive later). */
  timeoutMs?: number;
}

/** Declares the two exchanges this platform publishes to; idempotent, run on every (re)connect. */
export async function assertPlatformExchanges(channel: ConfirmChannel): Promise<void> {
  await channel.assertExchange(KV_EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(KV_AUDIT_EXCHANGE, 'topic', { durable: true });
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
  private readonly channel: ChannelWrapper;

  constructor(url: string, name: string) {
    this.logger = new Logger(`ConfirmPublisher(${name})`);
    const socket = rmqSocketOptions();
    this.connection = amqp.connect([url], {
      connectionOptions: socket.connectionOptions,
      heartbeatIntervalInSeconds: socket.heartbeatIntervalInSeconds,
      reconnectTimeInSeconds: socket.reconnectTimeInSeconds,
    });
    this.connection.on('disconnect', ({ err }) => this.logger.warn(`broker connection lost (${err?.message ?? 'closed'}); reconnecting`));
    this.connection.on('connect', () => this.logger.log('broker connected'));
    this.connection.on('connectFailed', ({ err }) => this.logger.warn(`cannot reach the broker (${err.message}); retrying`));
    this.channel = this.connection.createChannel({ name, confirm: true, setup: assertPlatformExchanges });
    // Setting the channel up again fails when the connection drops meanwhile; the manager retries on the next
    // connect. Unlistened, this 'error' event would be thrown and end the process.
    this.channel.on('error', (error: Error) => this.logger.warn(`channel setup failed (${error.message}); retrying on reconnect`));
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

  async close(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}
