import { Logger } from '@nestjs/common';

/** What amqplib rejects a publish with when its channel closed before the broker confirmed it. */
export function isClosedChannelError(reason: unknown): boolean {
  return reason instanceof Error && /^channel closed$/i.test(reason.message);
}

/**
 * Nest's RMQ server does not await a reply's confirm, so one unconfirmed when the connection drops is an unhandled
 * rejection that would end the process. That reply is lost anyway (its caller answers 503; a change it reported is
 * committed with its event), so it is logged and the service reconnects; any other unhandled rejection is a bug and exits.
 */
export function surviveLostReplies(logger = new Logger('Process')): void {
  process.on('unhandledRejection', (reason: unknown) => {
    if (isClosedChannelError(reason)) {
      logger.warn('a reply was lost with the broker connection; its caller times out');
      return;
    }
    logger.fatal(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    process.exit(1);
  });
}
