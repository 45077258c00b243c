import { Module } from '@nestjs/common';
import { ChangeSource } from '@app/contracts';
import { OutboxModule } from '@app/entry-store';
import { ServiceRuntimeModule } from '@app/service-kit/database';
import { SecretsEnv } from './config/secrets.env';
import { secretsDataSourceOptions } from './database/data-source';
import { SecretEntriesModule } from './entries/secret-entries.module';
import { ExpiryModule } from './expiry/expiry.module';
import { KeysModule } from './keys/keys.module';
import { SecretNamespacesModule } from './namespaces/secret-namespaces.module';

@Module({
  imports: [
    ServiceRuntimeModule.forService({
      service: 'secrets',
      env: SecretsEnv,
      dataSource: secretsDataSourceOptions,
      connection: { entities: [], autoLoadEntities: true },
    }),
    OutboxModule.forService(ChangeSource.SECRETS),
    KeysModule,
    SecretNamespacesModule,
    SecretEntriesModule,
    ExpiryModule,
  ],
})
export class SecretsAppModule {}
