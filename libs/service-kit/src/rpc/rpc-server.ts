import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, RmqContext, Server } from '@nestjs/microservices';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ErrorCode, RpcErrorPayload, isRpcErrorPayload } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Histogram, Registry } from 'prom-client';
import { isObservable } from 'rxjs';
import type { BrokerLink } from '../health/broker-links';
import { withRequestId } from '../logging/request-context';
import { connectToBroker } from '../messaging/broker-connection';
import { LATENCY_BUCKETS } from '../metrics/metrics';
import { QueueType, durableQueueOptions } from '../messaging/queue-types';
import { JSON_CONTENT_TYPE, REPLY_TYPE, RpcOutcome, decodeRequest, encodeJson } from './rpc-wire';

/** How long a stopping service waits for the messages it is handling; past it, they are redelivered. */
const DRAIN_TIMEOUT_MS = 10_000;

/** The metric's pattern label of a message no handler takes: any string a caller sends would grow its series without end. */
const UNKNOWN_PATTERN = '(unknown)';

export interface ServiceListenerOptions {
  url: string;
  queue: string;
  queueType: QueueType;
  prefetchCount: number;
  /** Names the consumer so it can be cancelled. */
  consumerTag: string;
  /** Where `kv_rpc_handling_seconds` is registered. */
  registry: Registry;
}

/** What the caller of a message's handler is answered with, `ok` or its code: the metric's outcome label. */
export function outcomeLabelOf(outcome: RpcOutcome): string {
  if (!('error' in outcome)) return 'ok';
  return isRpcErrorPayload(outcome.error) ? outcome.error.code : ErrorCode.INTERNAL_ERROR;
}

/**
 * A service's listener on its durable request queue, as a Nest transport strategy: each message goes to the handler Nest
 * built for its pattern (with the app's pipes, interceptors and filters), and its outcome back to the caller's reply-to
 * (rpc-wire.ts). Lean where Nest's ServerRMQ was not (measured: docs/benchmark.md). Each message is acknowledged once
 * its reply is sent, so the prefetch bounds the work in hand and a stopping or crashing instance hands back what it had
 * not answered; `drain` stops the deliveries and waits for those in hand. Around each handling, here rather than in a Nest
 * interceptor (which costs an async resource and an observable a message: 20 µs of CPU, measured in docs/benchmark.md):
 * a message past its caller's deadline is not handled; its `requestId` names the log lines of its handling, filters
 * included; `kv_rpc_handling_seconds{pattern,outcome}` times it, the outcome being `ok` or the code it was answered with.
 */
export class ServiceRpcServer extends Server implements CustomTransportStrategy, BrokerLink {
  protected override readonly logger = new Logger(ServiceRpcServer.name);
  private connection: AmqpConnectionManager | undefined;
  private wrapper: ChannelWrapper | undefined;
  private consuming: Channel | undefined;
  private stopping = false;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private readonly handling: Histogram<'pattern' | 'outcome'>;

  constructor(readonly options: ServiceListenerOptions) {
    super();
    this.handling = new Histogram({
      name: 'kv_rpc_handling_seconds',
      help: 'Time to handle one request message, by pattern and outcome',
      labelNames: ['pattern', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [options.registry],
    });
  }

  /** Resolves once consuming: Nest's `startAllMicroservices` waits for the broker, while HTTP (health) already answers. */
  listen(callback: (error?: unknown) => void): void {
    const { url, queue, queueType, prefetchCount, consumerTag } = this.options;
    this.connection = connectToBroker(url, this.logger, 'requests wait in the queue until reconnected');
    this.wrapper = this.connection.createChannel({
      confirm: false,
      setup: async (channel: Channel) => {
        // A channel error (a refused declaration, say) closes the channel only; set up again on the next connection.
        channel.on('error', (error: Error) => this.logger.warn(`request channel closed by the broker: ${error.message}`));
        channel.once('close', () => {
          if (this.consuming === channel) this.consuming = undefined;
        });
        if (this.stopping) return;
        await channel.assertQueue(queue, durableQueueOptions(queueType));
        await channel.prefetch(prefetchCount);
        await channel.consume(queue, (message) => void this.handle(message, channel), { noAck: false, consumerTag });
        this.consuming = channel;
      },
    });
    this.wrapper.on('error', (error: Error) => this.logger.warn(`request channel set-up failed (${error.message}); retrying on reconnect`));
    this.wrapper.waitForConnect().then(() => callback(), callback);
  }

  get linkName(): string {
    return `requests of ${this.options.queue}`;
  }

  /** Whether it consumes its queue: not before its channel is set up, nor once it drains to stop. */
  get connected(): boolean {
    return this.consuming !== undefined && !this.stopping;
  }

  /** Stops new deliveries and waits (bounded) until every message in hand is answered. */
  async drain(): Promise<void> {
    this.stopping = true;
    await this.consuming?.cancel(this.options.consumerTag).catch(() => undefined);
    if (this.inFlight === 0) return;
    this.logger.log(`finishing ${this.inFlight} messages in hand before stopping`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    this.stopping = true;
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
    this.inFlight += 1;
    const pattern = message.properties.type as unknown;
    const handler = typeof pattern === 'string' ? this.messageHandlers.get(pattern) : undefined;
    const stopTimer = this.handling.startTimer({ pattern: handler === undefined ? UNKNOWN_PATTERN : (pattern as string) });
    const finish = (outcome: RpcOutcome): void => {
      stopTimer({ outcome: outcomeLabelOf(outcome) });
      this.answer(message, channel, outcome);
    };
    const payload = decodeRequest(message.content);
    if (handler === undefined || payload === undefined) {
      const why = handler === undefined ? `no handler for pattern ${describe(pattern)}` : 'request is not a JSON object';
      this.logger.warn(`refused a request: ${why}`);
      return finish({ error: { code: ErrorCode.VALIDATION_FAILED, message: why } satisfies RpcErrorPayload });
    }
    const { requestId, deadline } = payload;
    if (typeof deadline === 'number' && Date.now() > deadline) {
      const why = `${pattern as string} arrived after its caller stopped waiting; it was not applied`;
      return finish({ error: { code: ErrorCode.SERVICE_TIMEOUT, message: why } satisfies RpcErrorPayload });
    }
    const run = () => this.invoke(handler, payload, new RmqContext([message, channel, pattern as string]), finish);
    // Everything the handling awaits or binds, and the filters chained after it, runs with the request's id current.
    await (typeof requestId === 'string' ? withRequestId(requestId, run) : run());
  }

  private async invoke(
    handler: MessageHandler,
    payload: unknown,
    context: RmqContext,
    finish: (outcome: RpcOutcome) => void,
  ): Promise<void> {
    try {
      const result = await handler(payload, context);
      if (!isObservable(result)) return finish({ reply: result });
      // Through interceptors and filters: an observable of one value, or of the error a filter made of a failure.
      let last: unknown;
      result.subscribe({
        next: (value) => (last = value),
        error: (error: unknown) => finish({ error: error ?? null }),
        complete: () => finish({ reply: last }),
      });
    } catch (error) {
      // Nest's filters turn a handler's failure into an observable error: this is a fault of the pipeline itself.
      finish({ error: this.internalError(`handling ${describe(context.getPattern())} failed outside its filters`, error) });
    }
  }

  /** Replies (when the caller gave a reply-to), then acknowledges: a crash in between redelivers, never loses. */
  private answer(message: ConsumeMessage, channel: Channel, outcome: RpcOutcome): void {
    const { replyTo, correlationId } = message.properties as { replyTo?: unknown; correlationId?: unknown };
    try {
      if (typeof replyTo === 'string') {
        let body: Buffer;
        try {
          body = encodeJson(outcome);
        } catch (error) {
          body = encodeJson({ error: this.internalError('a reply could not be written as JSON', error) });
        }
        channel.sendToQueue(replyTo, body, { correlationId: correlationId as string, type: REPLY_TYPE, contentType: JSON_CONTENT_TYPE });
      }
      channel.ack(message);
    } catch {
      // The channel closed: the message goes back to the queue, and a change it made is answered from its stored
      // outcome on redelivery (see OutboxTransactions); its caller answers 503 meanwhile.
      this.logger.warn('a reply was lost with the broker connection; its message is redelivered');
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  private internalError(what: string, error: unknown): RpcErrorPayload {
    const errorId = randomUUID();
    // Only the error's name: its message could quote a value.
    this.logger.error(`${what} (errorId=${errorId}): ${error instanceof Error ? error.name : typeof error}`);
    return { code: ErrorCode.INTERNAL_ERROR, message: `internal error (errorId ${errorId})` };
  }
}

/** A pattern as the log may show it: a short printable string, whatever the message carried. */
function describe(pattern: unknown): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern.slice(0, 100)) : typeof pattern;
}
