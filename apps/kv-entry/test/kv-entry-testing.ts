import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Principal } from '@app/permissions';
import { OutboxModule } from '@app/entry-store';
import { envValidator } from '@app/service-kit';
import { DataSource } from 'typeorm';
import { TestVhost, createTestVhost } from '../../../test/support/rabbitmq-vhost';
import { ScratchDatabase, createMigratedScratchDatabase } from '../../../test/support/scratch-database';
import { KvEntryEnv } from '../src/config/kv-entry.env';
import { kvEntryDataSourceOptions } from '../src/database/data-source';
import { EntriesModule } from '../src/entries/entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { NamespacesModule } from '../src/namespaces/namespaces.module';

/** A scratch database with the real migrations run, and the service's feature modules wired to it. */
export interface KvEntryTestbed {
  database: ScratchDatabase;
  broker: TestVhost;
  moduleRef: TestingModule;
  dataSource: DataSource;
  close(): Promise<void>;
}

export function migratedScratchDatabase(): Promise<ScratchDatabase> {
  return createMigratedScratchDatabase('kv_entry_it', kvEntryDataSourceOptions);
}

export interface TestbedOptions {
  /** How the service reaches the broker, e.g. through a TcpProxy the test can cut. */
  brokerUrl?: (vhostUrl: string) => string;
}

export async function createTestbed(options: TestbedOptions = {}): Promise<KvEntryTestbed> {
  const database = await migratedScratchDatabase();
  // The outbox relay publishes for real, into a vhost of this testbed's own.
  const broker = createTestVhost('kv_entry_it');
  const brokerUrl = options.brokerUrl?.(broker.url) ?? broker.url;
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validatePredefined: false,
        validate: (raw) => envValidator(KvEntryEnv)({ ...raw, KV_RABBITMQ_URL: brokerUrl, KV_OUTBOX_POLL_INTERVAL_MS: 100 }),
      }),
      TypeOrmModule.forRoot({ ...kvEntryDataSourceOptions(database.url), entities: [], autoLoadEntities: true, extra: { max: 25 } }),
      OutboxModule,
      NamespacesModule,
      EntriesModule,
      ExpiryModule,
    ],
  }).compile();
  await moduleRef.init();
  return {
    database,
    broker,
    moduleRef,
    dataSource: moduleRef.get(DataSource),
    close: async () => {
      await moduleRef.close();
      await database.drop();
      broker.delete();
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
