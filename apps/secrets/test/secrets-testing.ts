import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NamespaceDescriptor } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { OutboxModule } from '@app/entry-store';
import { envValidator } from '@app/service-kit';
import { DataSource } from 'typeorm';
import { TestVhost, createTestVhost } from '../../../test/support/rabbitmq-vhost';
import { ScratchDatabase, createMigratedScratchDatabase } from '../../../test/support/scratch-database';
import { SecretsEnv } from '../src/config/secrets.env';
import { secretsDataSourceOptions } from '../src/database/data-source';
import { SecretEntriesModule } from '../src/entries/secret-entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { KeysModule } from '../src/keys/keys.module';
import { SecretCall } from '../src/namespaces/secret-namespace-access';
import { SecretNamespacesModule } from '../src/namespaces/secret-namespaces.module';

/** A scratch database with the real migrations, and the service's feature modules wired to it. */
export interface SecretsTestbed {
  database: ScratchDatabase;
  broker: TestVhost;
  moduleRef: TestingModule;
  dataSource: DataSource;
  masterKey: string;
  close(): Promise<void>;
}

export function migratedScratchDatabase(): Promise<ScratchDatabase> {
  return createMigratedScratchDatabase('kv_secrets_it', secretsDataSourceOptions);
}

export async function createTestbed(env: Record<string, string> = {}): Promise<SecretsTestbed> {
  const database = await migratedScratchDatabase();
  // The outbox relay publishes for real, into a vhost of this testbed's own.
  const broker = createTestVhost('kv_secrets_it');
  const masterKey = randomBytes(32).toString('base64');
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validatePredefined: false,
        validate: (raw) =>
          envValidator(SecretsEnv)({ ...raw, KV_MASTER_KEY: masterKey, KV_RABBITMQ_URL: broker.url, KV_OUTBOX_POLL_INTERVAL_MS: 100, ...env }),
      }),
      TypeOrmModule.forRoot({ ...secretsDataSourceOptions(database.url), entities: [], autoLoadEntities: true, extra: { max: 25 } }),
      OutboxModule,
      KeysModule,
      SecretNamespacesModule,
      SecretEntriesModule,
      ExpiryModule,
    ],
  }).compile();
  await moduleRef.init();
  return {
    database,
    broker,
    moduleRef,
    masterKey,
    dataSource: moduleRef.get(DataSource),
    close: async () => {
      await moduleRef.close();
      await database.drop();
      broker.delete();
    },
  };
}

export function secretNamespace(overrides: Partial<NamespaceDescriptor> = {}): NamespaceDescriptor {
  return { id: randomUUID(), applicationId: 'billing', isSecretNamespace: true, defaultTtlSeconds: null, maxSecretVersions: null, ...overrides };
}

export const admin: Principal = { id: 'admin', permissions: ['*'], applications: ['*'] };

/** A call of `actor` in `namespace`, routed as the gateway routes one; `request`: the gateway request it came through. */
export function callIn(namespace: NamespaceDescriptor, request: Pick<SecretCall, 'requestId' | 'clientAddress'> = {}, actor: Principal = admin): SecretCall {
  return { actor, namespace, namespaceId: namespace.id, ...request };
}
