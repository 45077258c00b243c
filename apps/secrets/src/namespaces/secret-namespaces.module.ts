import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretNamespaceEntity } from './secret-namespace.entity';
import { SecretNamespacesHandler } from './secret-namespaces.handler';
import { SecretNamespacesRepository } from './secret-namespaces.repository';

@Module({
  imports: [TypeOrmModule.forFeature([SecretNamespaceEntity])],
  controllers: [SecretNamespacesHandler],
  providers: [SecretNamespacesRepository],
  exports: [SecretNamespacesRepository],
})
export class SecretNamespacesModule {}
