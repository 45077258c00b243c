import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '../config/gateway.env';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { RpcModule } from '../rpc/rpc.module';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { BulkController } from './bulk.controller';
import { EntriesController } from './entries.controller';
import { EntryCache } from './entry-cache';
import { EntryRouter } from './entry-router.service';
import { SecretEntriesController } from './secret-entries.controller';

@Module({
  imports: [RpcModule, NamespacesModule],
  controllers: [EntriesController, SecretEntriesController, BulkController],
  providers: [
    EntryRouter,
    EntryInputPipe,
    {
      provide: EntryCache,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) =>
        new EntryCache({
          maxBytes: config.get('KV_ENTRY_CACHE_MAX_BYTES', { infer: true }),
          maxAgeMs: config.get('KV_ENTRY_CACHE_MAX_AGE_MS', { infer: true }),
        }),
    },
  ],
  // Kept fresh by the kv.events subscription (EventsModule).
  exports: [EntryCache],
})
export class EntriesModule {}
