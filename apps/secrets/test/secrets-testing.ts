import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NamespaceDescriptor } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { envValidator } from '@app/service-kit';
import { DataSource } from 'typeorm';
import { ScratchDatabase, createScratchDatabase } from '../../../test/support/scratch-database';
import { SecretsEnv } from '../src/config/secrets.env';
import { secretsDataSourceOptions } from '../src/database/data-source';
import { SecretEntriesModule } from '../src/entries/secret-entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { KeysModule } from '../src/keys/keys.module';
import { SecretNamespacesModule } from '../src/namespaces/secret-namespaces.module';

/** A scratch database with the real migrations, and the service's feature modules wired to it. */
export interface SecretsTestbed {
  database: ScratchDatabase;
  moduleRef: TestingModule;
  dataSource: DataSource;
  masterKey: string;
  close(): Promise<void>;
}

export async function migratedScratchDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase('kv_secrets_it');
  const migrator = new DataSource(secretsDataSourceOptions(database.url));
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }
  return database;
}

export async function createTestbed(env: Record<string, string> = {}): Promise<SecretsTestbed> {
  const database = await migratedScratchDatabase();
  const masterKey = randomBytes(32).toString('base64');
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validatePredefined: false,
        validate: (raw) => envValidator(SecretsEnv)({ ...raw, KV_MASTER_KEY: masterKey, ...env }),
      }),
      TypeOrmModule.forRoot({ ...secretsDataSourceOptions(database.url), entities: [], autoLoadEntities: true, extra: { max: 25 } }),
      KeysModule,
      SecretNamespacesModule,
      SecretEntriesModule,
      ExpiryModule,
    ],
  }).compile();
  await moduleRef.init();
  return {
    database,
    moduleRef,
    masterKey,
    dataSource: moduleRef.get(DataSource),
    close: async () => {
      await moduleRef.close();
      await database.drop();
    },
  };
}

export function secretNamespace(overrides: Partial<NamespaceDescriptor> = {}): NamespaceDescriptor {
  return { id: randomUUID(), applicationId: 'billing', isSecretNamespace: true, defaultTtlSeconds: null, maxSecretVersions: null, ...overrides };
}

export const admin: Principal = { id: 'admin', permissions: ['*'], applications: ['*'] };
