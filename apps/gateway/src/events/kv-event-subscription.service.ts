import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KV_CHANGES_EXCHANGE, KV_EVENTS_EXCHANGE } from '@app/contracts';
import { connectToBroker } from '@app/service-kit';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { GatewayEnv } from '../config/gateway.env';
import { EntryCache } from '../entries/entry-cache';
import { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { ChangeFeeds } from '../watch/change-feeds.service';
import { INVALIDATING_EVENT_BINDINGS, invalidateFor } from './cache-invalidation';

/** How long after a failed set-up the subscription tries again (a lasting refusal must not spin). */
export const RESUBSCRIBE_DELAY_MS = 5_000;

/**
 * Evicts this gateway's cached entries and descriptors on kv.events, from an exclusive queue of its own, and rings the
 * watch feeds on kv.changes, from another. Events published
 * while the queue is gone are lost to it, so a closed channel suspends the entry cache until the queue is consumed again,
 * and it then starts empty (`resume`). No acknowledgements: an eviction is idempotent and nothing is stored.
 */
@Injectable()
export class KvEventSubscription implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KvEventSubscription.name);
  private readonly url: string;
  private connection: AmqpConnectionManager | undefined;
  private channelWrapper: ChannelWrapper | undefined;
  /** The channel consuming now; a late close of an earlier one must not suspend the cache again. */
  private consuming: Channel | undefined;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    config: ConfigService<GatewayEnv, true>,
    private readonly directory: NamespaceDirectory,
    private readonly entries: EntryCache,
    private readonly feeds: ChangeFeeds,
  ) {
    this.url = config.get('KV_RABBITMQ_URL', { infer: true });
  }

  onModuleInit(): void {
    this.connection = connectToBroker(this.url, this.logger, 'entry cache off until reconnected');
    this.channelWrapper = this.connection.createChannel({
      name: 'gateway-kv-events',
      confirm: false,
      setup: (channel: Channel) => this.setUp(channel),
    });
    // Unlistened, a failed set-up's event would end the process; `setUp` arranges the retry.
    this.channelWrapper.on('error', (error: Error) =>
      this.logger.warn(`kv.events subscription failed (${error.message}); entry cache off, retrying`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.resubscribeTimer);
    this.entries.suspend();
    await this.channelWrapper?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  /** Run on every (re)connect. */
  private async setUp(channel: Channel): Promise<void> {
    this.entries.suspend();
    this.consuming = channel;
    channel.once('close', () => {
      if (this.consuming === channel) this.entries.suspend();
    });
    try {
      await channel.assertExchange(KV_EVENTS_EXCHANGE, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      for (const binding of INVALIDATING_EVENT_BINDINGS) await channel.bindQueue(queue, KV_EVENTS_EXCHANGE, binding);
      await channel.consume(queue, (message) => (message === null ? this.cancelled() : this.receive(message)), { noAck: true });
      await channel.assertExchange(KV_CHANGES_EXCHANGE, 'fanout', { durable: true });
      const doorbell = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(doorbell.queue, KV_CHANGES_EXCHANGE, '');
      await channel.consume(doorbell.queue, (message) => (message === null ? this.cancelled() : this.feeds.ring(message.content)), {
        noAck: true,
      });
    } catch (error) {
      // amqp-connection-manager runs set-up again only on its next connection. A refusal by the broker
      // ends the connection too (amqplib turns the channel's error into the connection's), so that comes
      // by itself; a set-up that fails with the connection up would leave the copies off for good.
      this.resubscribeLater();
      throw error;
    }
    clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = undefined;
    this.entries.resume();
    // Doorbells rung while the queue was gone were missed: the watch feeds read the change logs now.
    this.feeds.resync();
    this.logger.log(`subscribed to ${KV_EVENTS_EXCHANGE}; entry cache ${this.entries.enabled ? 'on' : 'off (KV_ENTRY_CACHE_MAX_BYTES=0)'}`);
  }

  /** The broker cancelled the consumer (its queue was deleted): no more events, so no more copies until subscribed again. */
  private cancelled(): void {
    this.entries.suspend();
    this.logger.warn('kv.events subscription cancelled by the broker; entry cache off, subscribing again');
    this.connection?.reconnect();
  }

  /** A set-up still running while the module closes fails too: that one must not reconnect anything. */
  private resubscribeLater(): void {
    if (this.closed) return;
    this.resubscribeTimer ??= setTimeout(() => {
      this.resubscribeTimer = undefined;
      try {
        this.connection?.reconnect();
      } catch (error) {
        this.logger.warn(`kv.events subscription not retried: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, RESUBSCRIBE_DELAY_MS);
    this.resubscribeTimer.unref();
  }

  private receive(message: ConsumeMessage): void {
    if (!invalidateFor(message.content, { directory: this.directory, entries: this.entries })) {
      this.logger.warn(
        `kv.events message ${String(message.properties.messageId)} (${message.fields.routingKey}) not understood; entry cache cleared`,
      );
    }
  }
}
