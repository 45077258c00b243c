import { RmqOptions, Transport } from '@nestjs/microservices';

/**
 * Connection options for every RabbitMQ socket. `noDelay` turns Nagle's algorithm off: with it on, a small write waits for
 * the ACK of the one before, which the peer delays, so a lone request/reply stalls (measured: docs/benchmark.md).
 */
export function rmqSocketOptions() {
  return {
    connectionOptions: { noDelay: true },
    heartbeatIntervalInSeconds: 10,
    reconnectTimeInSeconds: 1,
  };
}

/**
 * A service listening on its durable request queue, acknowledging each message once handled (see
 * MessageHandling): the prefetch then bounds the work in hand, and a stopping or crashing instance hands
 * what it had not started back to the queue. `consumerTag` names the consumer so it can be cancelled.
 */
export function rmqServerOptions(url: string, queue: string, prefetchCount: number, consumerTag: string): RmqOptions {
  return {
    transport: Transport.RMQ,
    options: {
      urls: [url],
      queue,
      queueOptions: { durable: true },
      prefetchCount,
      noAck: false,
      consumerTag,
      socketOptions: rmqSocketOptions(),
    },
  };
}
