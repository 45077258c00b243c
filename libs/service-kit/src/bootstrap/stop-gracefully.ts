import { Logger } from '@nestjs/common';

/**
 * On SIGTERM (or SIGINT), runs `stop` once (finish the work in hand, then close the broker and the
 * database) and exits 0; a second signal, or a failing stop, exits at once with 1.
 */
export function stopGracefully(stop: () => Promise<void>, logger = new Logger('Shutdown')): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: stopping after the work in hand`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
}
