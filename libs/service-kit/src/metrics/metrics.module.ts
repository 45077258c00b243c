import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';

export interface ServiceMetricsOptions {
  service: string;
  /** Whether the process owns a database whose pool is reported. */
  database: boolean;
}

/** A service's metrics: the registry, the database pool, and `GET /metrics` (message handling: see MessageHandling). */
@Global()
@Module({})
export class MetricsModule {
  static forService(options: ServiceMetricsOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: METRICS_REGISTRY, useValue: createMetricsRegistry(options.service) },
    ];
    if (options.database) providers.push(DatabasePoolMetrics);
    return { module: MetricsModule, controllers: [MetricsController], providers, exports: [METRICS_REGISTRY] };
  }
}
