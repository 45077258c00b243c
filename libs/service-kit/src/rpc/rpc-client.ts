import { Logger } from '@nestjs/common';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage, Options } from 'amqplib';
import { DIRECT_REPLY_TO, JSON_CONTENT_TYPE, REPLY_TYPE, decodeOutcome, encodeJson } from './rpc-wire';

/** No reply within the call's time: the broker was reachable, the service did not answer (or not in time). */
export class RpcTimeoutError extends Error {
  override readonly name = 'RpcTimeoutError';
}

/** A reply in another protocol: the service runs a version that does not speak this one (see docs/operations.md). */
export class IncompatibleReplyError extends Error {
  override readonly name = 'IncompatibleReplyError';
}

/** No channel to the broker when the call was made, or it was lost before the reply came. */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}

export interface RpcClientOptions {
  /** The service's request queue, declared with the very options its service declares it with. */
  queue: string;
  queueOptions: Options.AssertQueue;
  /** How long a call waits for its reply; its message expires in the queue after as long. */
  timeoutMs: number;
}

interface PendingCall {
  resolve(reply: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
  /** The channel it was sent on, the only one its reply can come back to. */
  channel: Channel;
}

/**
 * Request/reply to one service's queue over direct reply-to, on a channel of a broker connection that reconnects by
 * itself; lean where Nest's ClientRMQ was not (measured: docs/benchmark.md). A call resolves with the service's reply,
 * rejects with its `{ code, message }`, or with RpcTimeoutError or BrokerUnavailableError; one made while the broker is
 * away fails at once rather than waiting out its time.
 */
export class RpcClient {
  private readonly logger = new Logger(RpcClient.name);
  private channel: Channel | undefined;
  private wrapper: ChannelWrapper | undefined;
  private readonly pending = new Map<string, PendingCall>();
  private lastCorrelationId = 0;

  constructor(
    private readonly connection: AmqpConnectionManager,
    readonly options: RpcClientOptions,
  ) {}

  /** Sets its channel up now, or as soon as the broker is reachable (when the answer resolves); idempotent. */
  open(): Promise<void> {
    if (this.wrapper === undefined) {
      this.wrapper = this.connection.createChannel({ confirm: false, setup: (channel: Channel) => this.setUp(channel) });
      this.wrapper.on('error', (error: Error) =>
        this.logger.warn(`${this.options.queue} channel set-up failed (${error.message}); retrying on reconnect`),
      );
    }
    return this.wrapper.waitForConnect();
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  request(pattern: string, payload: object): Promise<unknown> {
    const channel = this.channel;
    if (channel === undefined) return Promise.reject(new BrokerUnavailableError('message broker unreachable'));
    const { queue, timeoutMs } = this.options;
    // Replies come back on this channel only, so a counter is unique enough.
    const correlationId = String(++this.lastCorrelationId);
    const body = encodeJson(payload);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RpcTimeoutError(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer, channel });
      try {
        channel.sendToQueue(queue, body, {
          type: pattern,
          correlationId,
          replyTo: DIRECT_REPLY_TO,
          expiration: String(timeoutMs),
          contentType: JSON_CONTENT_TYPE,
        });
      } catch (error) {
        // amqplib throws (IllegalOperationError) at once on a channel that has just closed.
        this.settle(correlationId, () => reject(new BrokerUnavailableError(`message broker unreachable: ${(error as Error).message}`)));
      }
    });
  }

  async close(): Promise<void> {
    await this.wrapper?.close();
  }

  private async setUp(channel: Channel): Promise<void> {
    let closed = false;
    // A channel error closes the channel only, and 'close' follows; unheard, amqplib would close the whole connection.
    channel.on('error', (error: Error) => this.logger.warn(`${this.options.queue} channel closed by the broker: ${error.message}`));
    channel.once('close', () => {
      closed = true;
      this.lose(channel);
    });
    await channel.assertQueue(this.options.queue, this.options.queueOptions);
    await channel.consume(DIRECT_REPLY_TO, (message) => this.answer(message), { noAck: true });
    if (!closed) this.channel = channel;
  }

  private answer(message: ConsumeMessage | null): void {
    if (message === null) return;
    // A reply whose caller has given up finds no call: dropped.
    this.settle(String(message.properties.correlationId), (call) => {
      if (message.properties.type !== REPLY_TYPE)
        return call.reject(new IncompatibleReplyError(`${this.options.queue} answered in another protocol`));
      const outcome = decodeOutcome(message.content);
      return 'error' in outcome ? call.reject(outcome.error) : call.resolve(outcome.reply);
    });
  }

  private settle(correlationId: string, finish: (call: PendingCall) => void): void {
    const call = this.pending.get(correlationId);
    if (call === undefined) return;
    this.pending.delete(correlationId);
    clearTimeout(call.timer);
    finish(call);
  }

  /** Direct replies go to the channel that asked: once it is closed, no call in flight can be answered. */
  private lose(channel: Channel): void {
    if (this.channel === channel) this.channel = undefined;
    for (const [correlationId, call] of [...this.pending])
      if (call.channel === channel)
        this.settle(correlationId, () => call.reject(new BrokerUnavailableError('broker connection lost before the reply')));
  }
}
