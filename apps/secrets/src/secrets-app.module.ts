import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '@app/entry-store';
import { HealthModule, MetricsModule, createLoggerModule, envValidator } from '@app/service-kit';
import { DatabasePoolMetrics } from '@app/service-kit/database';
import { SecretsEnv } from './config/secrets.env';
import { secretsDataSourceOptions } from './database/data-source';
import { SecretEntriesModule } from './entries/secret-entries.module';
import { ExpiryModule } from './expiry/expiry.module';
import { KeysModule } from './keys/keys.module';
import { SecretNamespacesModule } from './namespaces/secret-namespaces.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: envValidator(SecretsEnv) }),
    createLoggerModule('secrets'),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<SecretsEnv, true>) => ({
        ...secretsDataSourceOptions(config.get('KV_DATABASE_URL', { infer: true })),
        // The feature modules register their entities; listing them here too would register them twice.
        entities: [],
        autoLoadEntities: true,
        extra: { max: config.get('KV_DATABASE_POOL_SIZE', { infer: true }) },
      }),
    }),
    HealthModule.register({ database: true }),
    MetricsModule.forService({ service: 'secrets' }),
    OutboxModule,
    KeysModule,
    SecretNamespacesModule,
    SecretEntriesModule,
    ExpiryModule,
  ],
  providers: [DatabasePoolMetrics],
})
export class SecretsAppModule {}
