import { Module } from '@nestjs/common';
import { ChangeSource } from '@app/contracts';
import { OutboxModule } from '@app/entry-store';
import { ServiceRuntimeModule } from '@app/service-kit/database';
import { KvEntryEnv } from './config/kv-entry.env';
import { kvEntryDataSourceOptions } from './database/data-source';
import { EntriesModule } from './entries/entries.module';
import { ExpiryModule } from './expiry/expiry.module';
import { NamespacesModule } from './namespaces/namespaces.module';

@Module({
  imports: [
    ServiceRuntimeModule.forService({
      service: 'kv-entry',
      env: KvEntryEnv,
      dataSource: kvEntryDataSourceOptions,
      connection: { entities: [], autoLoadEntities: true },
    }),
    OutboxModule.forService(ChangeSource.KV_ENTRY),
    NamespacesModule,
    EntriesModule,
    ExpiryModule,
  ],
})
export class KvEntryAppModule {}
