/** What the bare amqplib client (scripts/bench/bare-amqp.ts) and server agree on. */
export const BARE_AMQP_QUEUE = 'bench-bare-amqp';
/** RabbitMQ's direct reply-to: replies go straight to the consumer on this pseudo-queue, no reply queue declared. */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
/**
 * Only Nagle's algorithm off, as any latency-minded client would: with it on, a lone request/reply stalls on delayed ACKs
 * (docs/benchmark.md). None of the platform's code (no coalesced frame writes, no Nest): the round trip itself.
 */
export const BARE_SOCKET_OPTIONS = { noDelay: true };
