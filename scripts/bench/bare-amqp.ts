/**
 * The bare messaging baseline, client side (issue 21): request/reply over RabbitMQ's direct reply-to with amqplib alone,
 * no HTTP and no Nest, one request in flight per caller, all callers on one connection and channel (as the gateway's
 * client shares one). What a wait shared by the echo and the platform cannot hide behind: the round trip itself.
 */
import { connect } from 'amqplib';
import { BARE_AMQP_QUEUE, BARE_SOCKET_OPTIONS, DIRECT_REPLY_TO } from './baselines/bare-amqp-protocol';
import { keyAt } from './seed';

/** A round trip unanswered this long counts as an error (the loop goes on). */
const REPLY_TIMEOUT_MS = 5000;

export interface BareAmqpClient {
  roundTrip(i: number): Promise<void>;
  close(): Promise<void>;
}

export async function bareAmqpClient(url: string): Promise<BareAmqpClient> {
  const connection = await connect(url, BARE_SOCKET_OPTIONS);
  const channel = await connection.createChannel();
  const waiting = new Map<string, () => void>();
  await channel.consume(
    DIRECT_REPLY_TO,
    (message) => {
      const id = message?.properties.correlationId as string | undefined;
      if (id === undefined) return;
      waiting.get(id)?.();
      waiting.delete(id);
    },
    { noAck: true },
  );
  return {
    roundTrip: (i) =>
      new Promise<void>((resolve, reject) => {
        const id = String(i);
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no reply within ${REPLY_TIMEOUT_MS} ms`));
        }, REPLY_TIMEOUT_MS);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
        channel.sendToQueue(BARE_AMQP_QUEUE, Buffer.from(JSON.stringify({ key: keyAt(i) })), {
          replyTo: DIRECT_REPLY_TO,
          correlationId: id,
        });
      }),
    close: async () => {
      await connection.close();
    },
  };
}
