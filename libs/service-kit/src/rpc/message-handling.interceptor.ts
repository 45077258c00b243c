import { CallHandler, ExecutionContext, Logger, NestInterceptor } from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { Histogram, Registry } from 'prom-client';
import { ErrorCode, KvException } from '@app/contracts';
import { Observable, finalize, tap, throwError } from 'rxjs';
import { withRequestId } from '../logging/request-context';
import { LATENCY_BUCKETS } from '../metrics/metrics';
import { rpcErrorCodeOf } from './rpc-exception.filter';

/** How long a stopping service waits for the messages it is handling; past it, they are redelivered. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Everything around handling a request message, in one interceptor: Nest gives each interceptor an async resource and an
 * observable, a cost at thousands a second (measured: docs/benchmark.md). Acknowledgement is manual, so the prefetch bounds
 * the work in hand and on SIGTERM the messages in hand are answered and the rest requeued; the message's `requestId` names
 * its log lines; `kv_rpc_handling_seconds{pattern,outcome}`, the outcome being `ok` or the code the caller is answered with.
 */
export class MessageHandling implements NestInterceptor {
  private readonly logger = new Logger(MessageHandling.name);
  private readonly handling: Histogram<'pattern' | 'outcome'>;
  private inFlight = 0;
  private channel: Channel | undefined;
  private drained: (() => void) | undefined;

  constructor(
    private readonly consumerTag: string,
    registry: Registry,
  ) {
    this.handling = new Histogram({
      name: 'kv_rpc_handling_seconds',
      help: 'Time to handle one request message, by pattern and outcome',
      labelNames: ['pattern', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const rpc = context.switchToRpc();
    const rmq = rpc.getContext<RmqContext>();
    const channel = rmq.getChannelRef() as Channel;
    this.channel = channel;
    this.inFlight += 1;
    const stopTimer = this.handling.startTimer({ pattern: rmq.getPattern() });
    const { requestId, deadline } = rpc.getData<{ requestId?: unknown; deadline?: unknown } | undefined>() ?? {};
    const expired = typeof deadline === 'number' && Date.now() > deadline;
    const handled = (): Observable<unknown> =>
      (expired ? throwError(() => callerGone(rmq.getPattern())) : next.handle()).pipe(
        tap({
          next: () => stopTimer({ outcome: 'ok' }),
          error: (error: unknown) => stopTimer({ outcome: rpcErrorCodeOf(error) }),
        }),
        finalize(() => {
          // The reply is already on its way (or the error filter sends it next); the channel may be gone.
          try {
            channel.ack(rmq.getMessage() as Message);
          } catch {
            // A closed channel requeued the message: another instance gets it again and, for a change that
            // committed, answers its stored outcome (see OutboxTransactions).
          }
          this.inFlight -= 1;
          // An error's reply follows this (from the filter, in the same turn): let it go out before the channel may close.
          if (this.inFlight === 0) setImmediate(() => this.drained?.());
        }),
      );
    if (typeof requestId !== 'string') return handled();
    // Called and subscribed in the request id's context: `handle()` binds the handler to the context it is
    // called in, and what Nest chains after this interceptor (the exception filter, its log lines) runs in
    // the context of the subscription.
    return new Observable((subscriber) => withRequestId(requestId, () => handled().subscribe(subscriber)));
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

function callerGone(pattern: string): KvException {
  return new KvException(ErrorCode.SERVICE_TIMEOUT, `${pattern} arrived after its caller stopped waiting; it was not applied`);
}
