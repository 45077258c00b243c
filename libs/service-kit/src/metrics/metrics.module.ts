import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';

export interface ServiceMetricsOptions {
  service: string;
}

/**
 * A service's metrics: the registry and `GET /metrics` (message handling: see ServiceRpcServer; the
 * database pool: DatabasePoolMetrics of `@app/service-kit/database`, which the services provide).
 */
@Global()
@Module({})
export class MetricsModule {
  static forService(options: ServiceMetricsOptions): DynamicModule {
    const providers: Provider[] = [{ provide: METRICS_REGISTRY, useValue: createMetricsRegistry(options.service) }];
    return { module: MetricsModule, controllers: [MetricsController], providers, exports: [METRICS_REGISTRY] };
  }
}
