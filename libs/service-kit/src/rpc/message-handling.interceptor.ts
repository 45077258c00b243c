import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import { Histogram, Registry } from 'prom-client';
import { ErrorCode, KvException } from '@app/contracts';
import { Observable, tap, throwError } from 'rxjs';
import { withRequestId } from '../logging/request-context';
import { LATENCY_BUCKETS } from '../metrics/metrics';
import { rpcErrorCodeOf } from './rpc-exception.filter';

/**
 * Everything around handling a request message, in one interceptor: Nest gives each interceptor an async resource and an
 * observable, a cost at thousands a second (measured: docs/benchmark.md). A message past its caller's deadline is not
 * handled; its `requestId` names its log lines; `kv_rpc_handling_seconds{pattern,outcome}`, the outcome being `ok` or the
 * code the caller is answered with. Acknowledgement is the transport's (ServiceRpcServer), once the reply is sent.
 */
export class MessageHandling implements NestInterceptor {
  private readonly handling: Histogram<'pattern' | 'outcome'>;

  constructor(registry: Registry) {
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
    const pattern = rpc.getContext<RmqContext>().getPattern();
    const stopTimer = this.handling.startTimer({ pattern });
    const { requestId, deadline } = rpc.getData<{ requestId?: unknown; deadline?: unknown } | undefined>() ?? {};
    const expired = typeof deadline === 'number' && Date.now() > deadline;
    const handled = (): Observable<unknown> =>
      (expired ? throwError(() => callerGone(pattern)) : next.handle()).pipe(
        tap({
          next: () => stopTimer({ outcome: 'ok' }),
          error: (error: unknown) => stopTimer({ outcome: rpcErrorCodeOf(error) }),
        }),
      );
    if (typeof requestId !== 'string') return handled();
    // Called and subscribed in the request id's context: `handle()` binds the handler to the context it is
    // called in, and what Nest chains after this interceptor (the exception filter, its log lines) runs in
    // the context of the subscription.
    return new Observable((subscriber) => withRequestId(requestId, () => handled().subscribe(subscriber)));
  }
}

function callerGone(pattern: string): KvException {
  return new KvException(ErrorCode.SERVICE_TIMEOUT, `${pattern} arrived after its caller stopped waiting; it was not applied`);
}
