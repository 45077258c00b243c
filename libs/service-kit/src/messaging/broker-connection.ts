import type { Logger } from '@nestjs/common';
import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';
import { rmqSocketOptions } from '../rpc/rmq-options';

/**
 * A broker connection that reconnects by itself, with the platform's socket options, and says in the
 * log when it is lost and what that means for its owner (`whileLost`, e.g. "reconnecting").
 */
export function connectToBroker(url: string, logger: Logger, whileLost = 'reconnecting'): AmqpConnectionManager {
  const socket = rmqSocketOptions();
  const connection = amqp.connect([url], {
    connectionOptions: socket.connectionOptions,
    heartbeatIntervalInSeconds: socket.heartbeatIntervalInSeconds,
    reconnectTimeInSeconds: socket.reconnectTimeInSeconds,
  });
  connection.on('disconnect', ({ err }) => logger.warn(`broker connection lost (${err?.message ?? 'closed'}); ${whileLost}`));
  return connection;
}
