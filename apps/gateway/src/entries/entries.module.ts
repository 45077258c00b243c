import { Module } from '@nestjs/common';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { RpcModule } from '../rpc/rpc.module';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { BulkController } from './bulk.controller';
import { EntriesController } from './entries.controller';
import { EntryRouter } from './entry-router.service';
import { SecretEntriesController } from './secret-entries.controller';

@Module({
  imports: [RpcModule, NamespacesModule],
  controllers: [EntriesController, SecretEntriesController, BulkController],
  providers: [EntryRouter, EntryInputPipe],
})
export class EntriesModule {}
