import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretNamespaceEntity } from '../namespaces/secret-namespace.entity';
import { SecretNamespacesRepository } from '../namespaces/secret-namespaces.repository';
import { DataKeys } from './data-keys.service';
import { masterKeyringProvider } from './master-keyring.provider';

/** The master keyring and each namespace's data key, which the `secret_namespace` table holds. */
@Module({
  imports: [TypeOrmModule.forFeature([SecretNamespaceEntity])],
  providers: [masterKeyringProvider, SecretNamespacesRepository, DataKeys],
  exports: [DataKeys, SecretNamespacesRepository],
})
export class KeysModule {}
