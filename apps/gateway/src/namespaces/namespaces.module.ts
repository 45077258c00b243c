import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '../config/gateway.env';
import { KvEntryClient } from '../rpc/kv-entry.client';
import { RpcModule } from '../rpc/rpc.module';
import { NAMESPACE_CACHE_MAX_ENTRIES, NamespaceDirectory } from './namespace-directory.service';
import { NamespacesController } from './namespaces.controller';
import { NamespacesService } from './namespaces.service';

@Module({
  imports: [RpcModule],
  controllers: [NamespacesController],
  providers: [
    NamespacesService,
    {
      provide: NamespaceDirectory,
      inject: [KvEntryClient, ConfigService],
      useFactory: (kvEntry: KvEntryClient, config: ConfigService<GatewayEnv, true>) =>
        new NamespaceDirectory(kvEntry, {
          ttlMs: config.get('KV_NAMESPACE_CACHE_TTL_MS', { infer: true }),
          maxEntries: NAMESPACE_CACHE_MAX_ENTRIES,
        }),
    },
  ],
  // One directory per gateway: entry routing reads what namespace changes evict.
  exports: [NamespaceDirectory],
})
export class NamespacesModule {}
