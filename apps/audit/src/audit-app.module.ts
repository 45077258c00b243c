import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule, MetricsModule, createLoggerModule, envValidator } from '@app/service-kit';
import { DatabasePoolMetrics } from '@app/service-kit/database';
import { AuditEnv } from './config/audit.env';
import { auditDataSourceOptions } from './database/data-source';
import { AuditRecordsModule } from './records/audit-records.module';

/**
 * The audit service: stores every audit record published on `kv.audit` in an append-only hash chain
 * (records/audit-record-consumer), and answers the list and verify queries on its request queue.
 * Records are only pruned by the `audit:prune` command (retention/).
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: envValidator(AuditEnv) }),
    createLoggerModule('audit'),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnv, true>) => ({
        ...auditDataSourceOptions(config.get('KV_DATABASE_URL', { infer: true })),
        extra: { max: config.get('KV_DATABASE_POOL_SIZE', { infer: true }) },
      }),
    }),
    HealthModule.register({ database: true }),
    MetricsModule.forService({ service: 'audit' }),
    AuditRecordsModule,
  ],
  providers: [DatabasePoolMetrics],
})
export class AuditAppModule {}
