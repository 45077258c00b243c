import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module';
import { NamespacesController } from './namespaces.controller';

@Module({ imports: [RpcModule], controllers: [NamespacesController] })
export class NamespacesModule {}
