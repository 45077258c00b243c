import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConfirmPublisher } from '@app/service-kit';
import type { GatewayEnv } from '../config/gateway.env';
import { RpcModule } from '../rpc/rpc.module';
import { AuditController } from './audit.controller';
import { AuditHooks } from './audit-hooks';
import { AUDIT_PUBLISHER, AuditPublisher, AuditTrail } from './audit-trail';

@Module({
  imports: [RpcModule],
  controllers: [AuditController],
  providers: [
    {
      provide: AUDIT_PUBLISHER,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>): AuditPublisher =>
        new ConfirmPublisher(
          config.get('KV_RABBITMQ_URL', { infer: true }),
          'gateway-audit',
          config.get('KV_RABBITMQ_QUEUE_TYPE', { infer: true }),
        ),
    },
    {
      provide: AuditTrail,
      inject: [AUDIT_PUBLISHER, ConfigService],
      useFactory: (publisher: AuditPublisher, config: ConfigService<GatewayEnv, true>) =>
        new AuditTrail(publisher, {
          timeoutMs: config.get('KV_AUDIT_PUBLISH_TIMEOUT_MS', { infer: true }),
          batchMax: config.get('KV_AUDIT_BATCH_MAX', { infer: true }),
          lingerMs: config.get('KV_AUDIT_BATCH_LINGER_MS', { infer: true }),
        }),
    },
    AuditHooks,
  ],
  // The audit hooks record reads, and the exception filter failures, through the same trail.
  exports: [AuditTrail],
})
export class AuditModule {}
