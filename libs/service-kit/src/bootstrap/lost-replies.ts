import { Logger } from '@nestjs/common';

/** What amqplib rejects a publish with when its channel closed before the broker confirmed it. */
export function isClosedChannelError(reason: unknown): boolean {
  return reason instanceof Error && /^channel closed$/i.test(reason.message);
}

/**
 * Nest's RMQ server sends each reply on a confirm channel without awaiting it, so a reply still
 * unconfirmed when the broker connection drops becomes an unhandled rejection, which would end the
 * process. Such a reply is lost anyway (the caller times out and answers 503; the change it reported, if
 * any, is committed with its outbox event), so it is logged and the service lives on to reconnect. Every
 * other unhandled rejection is a bug: logged, and the process exits as Node would have made it.
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
