import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, RmqContext, Server } from '@nestjs/microservices';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ErrorCode, RpcErrorPayload } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { isObservable } from 'rxjs';
import { connectToBroker } from '../messaging/broker-connection';
import { ServiceListenerOptions, requestQueueOptions } from './rmq-options';
import { JSON_CONTENT_TYPE, RpcOutcome, decodeRequest, encodeJson } from './rpc-wire';

/**
 * A service's listener on its durable request queue, as a Nest transport strategy: each message goes to the handler
 * Nest built for its pattern (with the app's pipes, interceptors and filters), and its outcome back to the caller's
 * reply-to (RpcClient's protocol, rpc-wire.ts). In place of Nest's ServerRMQ, whose envelope, observables and
 * confirmed replies cost a lone call more CPU than amqplib's own round trip (measured: docs/benchmark.md).
 * Acknowledgement is manual and done by MessageHandling once a message is handled, so the prefetch bounds the work
 * in hand and a stopping or crashing instance hands back what it had not started.
 */
export class ServiceRpcServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(ServiceRpcServer.name);
  private connection: AmqpConnectionManager | undefined;
  private wrapper: ChannelWrapper | undefined;

  constructor(readonly options: ServiceListenerOptions) {
    super();
  }

  /** Resolves once consuming: Nest's `startAllMicroservices` waits for the broker, while HTTP (health) already answers. */
  listen(callback: (error?: unknown) => void): void {
    const { url, queue, queueType, prefetchCount, consumerTag } = this.options;
    this.connection = connectToBroker(url, this.logger, 'requests wait in the queue until reconnected');
    this.wrapper = this.connection.createChannel({
      confirm: false,
      setup: async (channel: Channel) => {
        await channel.assertQueue(queue, requestQueueOptions(queueType));
        await channel.prefetch(prefetchCount);
        await channel.consume(queue, (message) => void this.handle(message, channel), { noAck: false, consumerTag });
      },
    });
    this.wrapper.waitForConnect().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.wrapper?.close();
    await this.connection?.close();
  }

  on(): never {
    throw new Error('ServiceRpcServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.connection as T;
  }

  private async handle(message: ConsumeMessage | null, channel: Channel): Promise<void> {
    // The broker cancelled the consumer (its queue deleted): the channel is set up again on reconnect.
    if (message === null) return;
    const pattern = message.properties.type as unknown;
    const handler = typeof pattern === 'string' ? this.messageHandlers.get(pattern) : undefined;
    const payload = decodeRequest(message.content);
    if (handler === undefined || payload === undefined) {
      this.refuse(message, channel, handler === undefined ? `no handler for pattern ${describe(pattern)}` : 'request is not a JSON object');
      return;
    }
    try {
      this.answerWith(await (handler as MessageHandler)(payload, new RmqContext([message, channel, pattern as string])), message, channel);
    } catch (error) {
      // Nest's filters turn a handler's failure into an observable error: this is a fault of the pipeline itself.
      const errorId = randomUUID();
      this.logger.error(`handling ${describe(pattern)} failed outside its filters (errorId=${errorId}): ${nameOf(error)}`);
      this.reply(message, channel, { error: { code: ErrorCode.INTERNAL_ERROR, message: `internal error (errorId ${errorId})` } });
    }
  }

  /** A handler answers an observable (through interceptors and filters) of one value, or a value. */
  private answerWith(result: unknown, message: ConsumeMessage, channel: Channel): void {
    if (!isObservable(result)) {
      this.reply(message, channel, { reply: result });
      return;
    }
    let last: unknown;
    result.subscribe({
      next: (value) => (last = value),
      error: (error: unknown) => this.reply(message, channel, { error }),
      complete: () => this.reply(message, channel, { reply: last }),
    });
  }

  /** A message no handler can take (a caller of another version, say): answered, and not redelivered. */
  private refuse(message: ConsumeMessage, channel: Channel, why: string): void {
    this.logger.warn(`refused a request: ${why}`);
    this.reply(message, channel, { error: { code: ErrorCode.VALIDATION_FAILED, message: why } satisfies RpcErrorPayload });
    try {
      channel.ack(message);
    } catch {
      // The channel closed: the message goes back to the queue and is refused again.
    }
  }

  private reply(message: ConsumeMessage, channel: Channel, outcome: RpcOutcome): void {
    const { replyTo, correlationId } = message.properties as { replyTo?: unknown; correlationId?: unknown };
    if (typeof replyTo !== 'string') return;
    try {
      channel.sendToQueue(replyTo, encodeJson(outcome), { correlationId: correlationId as string, contentType: JSON_CONTENT_TYPE });
    } catch {
      // Its caller answers 503; a change it reported is committed with its event, and a retry replays it.
      this.logger.warn('a reply was lost with the broker connection; its caller times out');
    }
  }
}

/** Only an error's name: its message could quote a value. */
function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** A pattern as the log may show it: a short printable string, whatever the message carried. */
function describe(pattern: unknown): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern.slice(0, 100)) : typeof pattern;
}
