import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespaceAccess } from './namespace-access.service';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesHandler } from './namespaces.handler';
import { NamespacesRepository } from './namespaces.repository';
import { NamespacesService } from './namespaces.service';

@Module({
  imports: [TypeOrmModule.forFeature([NamespaceEntity])],
  controllers: [NamespacesHandler],
  providers: [NamespacesRepository, NamespacesService, NamespaceAccess],
  exports: [NamespaceAccess],
})
export class NamespacesModule {}
