import type { Options } from 'amqplib';
import { QueueType, durableQueueOptions } from '../messaging/queue-types';

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
 * The declaration of a service's request queue (KV_RABBITMQ_REQUEST_QUEUE_TYPE), for both its sides: the service
 * listening on it and the gateway's client, which declares it too so that a request sent before the service ever ran waits.
 */
export function requestQueueOptions(type: QueueType): Options.AssertQueue {
  return durableQueueOptions(type);
}

export interface ServiceListenerOptions {
  url: string;
  queue: string;
  queueType: QueueType;
  prefetchCount: number;
  /** Names the consumer so it can be cancelled. */
  consumerTag: string;
}
