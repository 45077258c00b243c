import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module';
import { EntryInputPipe } from '../validation/entry-input.pipe';
import { BulkController } from './bulk.controller';
import { EntriesController } from './entries.controller';

@Module({ imports: [RpcModule], controllers: [EntriesController, BulkController], providers: [EntryInputPipe] })
export class EntriesModule {}
