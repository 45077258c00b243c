import { Module } from '@nestjs/common';
import { SecretNamespacesModule } from '../namespaces/secret-namespaces.module';
import { DataKeys } from './data-keys.service';
import { masterKeyringProvider } from './master-keyring.provider';

@Module({
  imports: [SecretNamespacesModule],
  providers: [masterKeyringProvider, DataKeys],
  exports: [DataKeys],
})
export class KeysModule {}
