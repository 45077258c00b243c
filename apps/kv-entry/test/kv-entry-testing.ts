import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Principal } from '@app/permissions';
import { envValidator } from '@app/service-kit';
import { DataSource } from 'typeorm';
import { ScratchDatabase, createScratchDatabase } from '../../../test/support/scratch-database';
import { KvEntryEnv } from '../src/config/kv-entry.env';
import { kvEntryDataSourceOptions } from '../src/database/data-source';
import { EntriesModule } from '../src/entries/entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { NamespacesModule } from '../src/namespaces/namespaces.module';

/** A scratch database with the real migrations run, and the service's feature modules wired to it. */
export interface KvEntryTestbed {
  database: ScratchDatabase;
  moduleRef: TestingModule;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function migratedScratchDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase('kv_entry_it');
  const migrator = new DataSource(kvEntryDataSourceOptions(database.url));
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }
  return database;
}

export async function createTestbed(): Promise<KvEntryTestbed> {
  const database = await migratedScratchDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validatePredefined: false, validate: envValidator(KvEntryEnv) }),
      TypeOrmModule.forRoot({ ...kvEntryDataSourceOptions(database.url), entities: [], autoLoadEntities: true, extra: { max: 25 } }),
      NamespacesModule,
      EntriesModule,
      ExpiryModule,
    ],
  }).compile();
  await moduleRef.init();
  return {
    database,
    moduleRef,
    dataSource: moduleRef.get(DataSource),
    close: async () => {
      await moduleRef.close();
      await database.drop();
    },
  };
}

export const ALL_APPLICATIONS = ['*'];

/** An actor with every permission in the given applications. */
export function admin(applications: string[] = ALL_APPLICATIONS): Principal {
  return { id: 'admin', permissions: ['*'], applications };
}

export function principal(permissions: string[], applications: string[] = ALL_APPLICATIONS): Principal {
  return { id: `user-${permissions.join(',')}`, permissions, applications };
}
