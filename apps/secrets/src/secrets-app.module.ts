import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule, createLoggerModule, envValidator } from '@app/service-kit';
import { SecretsEnv } from './config/secrets.env';
import { secretsDataSourceOptions } from './database/data-source';

/** Bootable with its own database and queue; its features come with their own issue. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: envValidator(SecretsEnv) }),
    createLoggerModule('secrets'),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<SecretsEnv, true>) => ({
        ...secretsDataSourceOptions(config.get('KV_DATABASE_URL', { infer: true })),
        extra: { max: config.get('KV_DATABASE_POOL_SIZE', { infer: true }) },
      }),
    }),
    HealthModule.register({ database: true }),
  ],
})
export class SecretsAppModule {}
