import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '@app/entry-store';
import { HealthModule, MetricsModule, createLoggerModule, envValidator } from '@app/service-kit';
import { DatabasePoolMetrics } from '@app/service-kit/database';
import { KvEntryEnv } from './config/kv-entry.env';
import { kvEntryDataSourceOptions } from './database/data-source';
import { EntriesModule } from './entries/entries.module';
import { ExpiryModule } from './expiry/expiry.module';
import { NamespacesModule } from './namespaces/namespaces.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: envValidator(KvEntryEnv) }),
    createLoggerModule('kv-entry'),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<KvEntryEnv, true>) => ({
        ...kvEntryDataSourceOptions(config.get('KV_DATABASE_URL', { infer: true })),
        // The feature modules register their entities; listing them here too would register them twice.
        entities: [],
        autoLoadEntities: true,
        synchronize: false,
        migrationsRun: false,
        extra: { max: config.get('KV_DATABASE_POOL_SIZE', { infer: true }) },
      }),
    }),
    HealthModule.register({ database: true }),
    MetricsModule.forService({ service: 'kv-entry' }),
    OutboxModule,
    NamespacesModule,
    EntriesModule,
    ExpiryModule,
  ],
  providers: [DatabasePoolMetrics],
})
export class KvEntryAppModule {}
