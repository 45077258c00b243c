import type { Logger } from '@nestjs/common';
import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';

/**
 * A broker connection that reconnects by itself, with the platform's socket options, and says in the
 * log when it is lost or not reachable and what that means for its owner (`whileLost`, e.g. "reconnecting"):
 * once until it is connected again, not at every attempt.
 */
export function connectToBroker(url: string, logger: Logger, whileLost = 'reconnecting'): AmqpConnectionManager {
  const connection = amqp.connect([url], {
    // Nagle's algorithm off: with it on, a small write waits for the ACK of the one before, which the peer delays, so a
    // lone request/reply stalls (measured: docs/benchmark.md).
    connectionOptions: { noDelay: true },
    heartbeatIntervalInSeconds: 10,
    reconnectTimeInSeconds: 1,
  });
  let reported = false;
  connection.on('connect', () => (reported = false));
  connection.on('disconnect', ({ err }) => {
    reported = true;
    logger.warn(`broker connection lost (${err?.message ?? 'closed'}); ${whileLost}`);
  });
  connection.on('connectFailed', ({ err }) => {
    if (reported) return;
    reported = true;
    logger.warn(`broker not reachable (${err?.message ?? 'refused'}); ${whileLost}`);
  });
  return connection;
}
