import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { ServiceEnv } from '../config/common-env';
import { envValidator } from '../config/validate-env';
import { BROKER_LINKS, type BrokerLink } from '../health/broker-links';
import { HealthModule } from '../health/health.module';
import { createLoggerModule } from '../logging/logger.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DatabasePoolMetrics } from './database-pool.metrics';

export interface ServiceRuntimeOptions {
  /** The name its logs and metrics carry. */
  service: string;
  /** Its settings, read and checked once at start-up. */
  env: new () => ServiceEnv;
  /** Its own database: entities and migrations (the data source the TypeORM CLI uses), at a URL. */
  dataSource: (url: string) => DataSourceOptions;
  /**
   * How the connection differs from the data source: `{ entities: [], autoLoadEntities: true }` takes the
   * entities from the feature modules' `forFeature` (listing them in both would register them twice).
   */
  connection?: Pick<TypeOrmModuleOptions, 'entities' | 'autoLoadEntities'>;
}

/**
 * What every service that owns a database runs on, whatever it serves: its validated settings, its
 * logs, its database (at KV_DATABASE_URL, KV_DATABASE_POOL_SIZE connections at most), health and metrics.
 */
@Module({})
export class ServiceRuntimeModule {
  static forService({ service, env, dataSource, connection }: ServiceRuntimeOptions): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: envValidator(env) }),
        createLoggerModule(service),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<ServiceEnv, true>) => ({
            ...dataSource(config.get('KV_DATABASE_URL', { infer: true })),
            ...connection,
            // Short statements only: a JIT compile (tens of ms) pays off on none of them, and a plan estimated dear by
            // mistake would pay it on every run (measured on the audit append: docs/benchmark.md).
            extra: { max: config.get('KV_DATABASE_POOL_SIZE', { infer: true }), options: '-c jit=off' },
          }),
        }),
        HealthModule.register({ database: true }),
        MetricsModule.forService({ service }),
      ],
      // Its broker links, for readiness: bootstrapService adds the listener it starts.
      providers: [DatabasePoolMetrics, { provide: BROKER_LINKS, useFactory: (): BrokerLink[] => [] }],
    };
  }
}
