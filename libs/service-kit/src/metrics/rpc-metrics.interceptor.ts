import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { KvException } from '@app/contracts';
import { Histogram, Registry } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { LATENCY_BUCKETS, METRICS_REGISTRY } from './metrics';

/** Message handling at a service: how many, how long, and with which outcome (`ok` or the error code). */
@Injectable()
export class RpcMetricsInterceptor implements NestInterceptor {
  private readonly handling: Histogram<'pattern' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
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
    const pattern = String(context.switchToRpc().getContext<{ getPattern?: () => string }>().getPattern?.() ?? 'unknown');
    const stop = this.handling.startTimer({ pattern });
    return next.handle().pipe(
      tap({
        next: () => stop({ outcome: 'ok' }),
        error: (error: unknown) => stop({ outcome: error instanceof KvException ? error.code : 'INTERNAL_ERROR' }),
      }),
    );
  }
}
