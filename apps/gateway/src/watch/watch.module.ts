import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditModule } from '../audit/audit.module';
import { AuditTrail } from '../audit/audit-trail';
import type { GatewayEnv } from '../config/gateway.env';
import { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { RpcModule } from '../rpc/rpc.module';
import { ChangeFeeds } from './change-feeds.service';
import { WatchController } from './watch.controller';
import { WatchRegistry } from './watch-registry';
import { WatchService } from './watch.service';

@Module({
  imports: [RpcModule, NamespacesModule, AuditModule],
  controllers: [WatchController],
  providers: [
    ChangeFeeds,
    {
      provide: WatchRegistry,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) =>
        new WatchRegistry({
          perPrincipal: config.get('KV_WATCH_MAX_PER_PRINCIPAL', { infer: true }),
          perGateway: config.get('KV_WATCH_MAX_PER_GATEWAY', { infer: true }),
        }),
    },
    {
      provide: WatchService,
      inject: [NamespaceDirectory, ChangeFeeds, WatchRegistry, AuditTrail, ConfigService],
      useFactory: (
        directory: NamespaceDirectory,
        feeds: ChangeFeeds,
        registry: WatchRegistry,
        trail: AuditTrail,
        config: ConfigService<GatewayEnv, true>,
      ) =>
        new WatchService(directory, feeds, registry, trail, {
          heartbeatMs: config.get('KV_WATCH_HEARTBEAT_MS', { infer: true }),
          slowConsumerTimeoutMs: config.get('KV_WATCH_SLOW_CONSUMER_TIMEOUT_MS', { infer: true }),
        }),
    },
  ],
  // The kv.changes doorbell (EventsModule) rings the feeds.
  exports: [ChangeFeeds],
})
export class WatchModule {}
