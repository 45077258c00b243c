import { CallHandler, ExecutionContext, Logger, NestInterceptor } from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { Observable, finalize } from 'rxjs';

/** How long a stopping service waits for the messages it is handling; past it, they are redelivered. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Acknowledges each request message once it was handled, and lets a stopping service finish what it
 * holds. The RMQ listener runs with manual acknowledgement (see `rmqServerOptions`), so the prefetch
 * bounds the work in hand and a message is never lost: on SIGTERM the consumer is cancelled (no new
 * deliveries), the messages in hand are finished and answered, and whatever was delivered but not yet
 * taken is requeued when the channel closes, for another instance.
 */
export class InFlightMessages implements NestInterceptor {
  private readonly logger = new Logger(InFlightMessages.name);
  private inFlight = 0;
  private channel: Channel | undefined;
  private drained: (() => void) | undefined;

  constructor(private readonly consumerTag: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rmq = context.switchToRpc().getContext<RmqContext>();
    const channel = rmq.getChannelRef() as Channel;
    this.channel = channel;
    this.inFlight += 1;
    return next.handle().pipe(
      finalize(() => {
        // The reply is already on its way (or the error filter sends it next); the channel may be gone.
        try {
          channel.ack(rmq.getMessage() as Message);
        } catch {
          // A closed channel requeued the message: another instance handles it again (requests are not
          // deduplicated; a conditional write then answers VERSION_CONFLICT).
        }
        this.inFlight -= 1;
        // Nest sends the reply on the next tick: let it go out before the channel may close.
        if (this.inFlight === 0) setImmediate(() => this.drained?.());
      }),
    );
  }

  /** Stops new deliveries and waits (bounded) until every message in hand is answered. */
  async drain(): Promise<void> {
    await this.channel?.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    this.logger.log(`finishing ${this.inFlight} messages in hand before stopping`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
