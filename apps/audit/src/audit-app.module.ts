import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule, createLoggerModule, envValidator } from '@app/service-kit';
import { AuditEnv } from './config/audit.env';
import { auditDataSourceOptions } from './database/data-source';

/** Bootable with its own database and queue; its features come with their own issue. */
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
  ],
})
export class AuditAppModule {}
