import { KV_AUDIT_EXCHANGE, KV_EVENTS_EXCHANGE } from '@app/contracts';
import { ChannelModel, ConsumeMessage, connect } from 'amqplib';
import { useFixture } from './fixture';

export interface TappedMessage {
  exchange: string;
  routingKey: string;
  messageId: string | undefined;
  body: Record<string, unknown>;
  raw: string;
}

/**
 * A consumer the way another team would write one: plain amqplib, its own exclusive queue bound to an
 * exchange, collecting every message it sees.
 */
export class EventTap {
  readonly messages: TappedMessage[] = [];

  private constructor(private readonly connection: ChannelModel) {}

  static async start(url: string, bindings: ReadonlyArray<{ exchange: string; pattern: string }>): Promise<EventTap> {
    const connection = await connect(url);
    const tap = new EventTap(connection);
    const channel = await connection.createChannel();
    for (const exchange of new Set(bindings.map((binding) => binding.exchange)))
      await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    for (const { exchange, pattern } of bindings) await channel.bindQueue(queue, exchange, pattern);
    await channel.consume(queue, (message: ConsumeMessage | null) => {
      if (message === null) return;
      const raw = message.content.toString('utf8');
      tap.messages.push({
        exchange: message.fields.exchange,
        routingKey: message.fields.routingKey,
        messageId: message.properties.messageId as string | undefined,
        body: JSON.parse(raw) as Record<string, unknown>,
        raw,
      });
      channel.ack(message);
    });
    return tap;
  }

  /** Every event on `kv.events` and every record on `kv.audit`. */
  static everything(url: string): Promise<EventTap> {
    return EventTap.start(url, [
      { exchange: KV_EVENTS_EXCHANGE, pattern: '#' },
      { exchange: KV_AUDIT_EXCHANGE, pattern: '#' },
    ]);
  }

  on(exchange: string): TappedMessage[] {
    return this.messages.filter((message) => message.exchange === exchange);
  }

  /** Every audit record on `kv.audit`, in order: a message carries one record or an array of them. */
  auditRecords(): Array<Record<string, unknown>> {
    return this.on(KV_AUDIT_EXCHANGE).flatMap(({ body }) => (Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [body]));
  }

  /** Waits until `done` holds for the messages seen so far, or fails after `timeoutMs`. */
  async waitFor(done: (messages: TappedMessage[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for messages; saw ${this.messages.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** A tap on everything of the vhost at `url()`, for the describe block it is called in (from its beforeAll to its afterAll). */
export function useEventTap(url: () => string): EventTap {
  return useFixture(
    'the event tap',
    () => EventTap.everything(url()),
    (tap) => tap.close(),
  );
}
