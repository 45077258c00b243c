/**
 * The bare messaging baseline, server side (issue 21): amqplib alone, no Nest, answering each request on a durable queue
 * with its payload to its reply-to, acknowledged once answered (as the services do, with the same prefetch). Run from
 * dist/ by the bench with KV_RABBITMQ_URL.
 */
import { connect } from 'amqplib';
import { BARE_AMQP_QUEUE, BARE_SOCKET_OPTIONS } from './bare-amqp-protocol';

async function main(): Promise<void> {
  const connection = await connect(process.env.KV_RABBITMQ_URL ?? '', BARE_SOCKET_OPTIONS);
  const channel = await connection.createChannel();
  await channel.assertQueue(BARE_AMQP_QUEUE, { durable: true });
  await channel.prefetch(64);
  await channel.consume(BARE_AMQP_QUEUE, (message) => {
    if (message === null) return;
    channel.sendToQueue(message.properties.replyTo as string, message.content, {
      correlationId: message.properties.correlationId as string,
    });
    channel.ack(message);
  });
  // The bench waits for this line before it sends.
  console.log('bare amqp server consuming');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
