import { AddChangeLog1735400000000, AddRequestOutcomes1735000000000 } from '@app/entry-store';
import { DataSource, DataSourceOptions } from 'typeorm';
import { cliDatabaseUrl } from '../config/kv-entry.env';
import { EntryEntity } from '../entries/entry.entity';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { CreateNamespacesAndEntries1732300000000 } from './migrations/1732300000000-CreateNamespacesAndEntries';
import { AddNamespaceMaxSecretVersions1732400000000 } from './migrations/1732400000000-AddNamespaceMaxSecretVersions';
import { AddOutbox1733100000000 } from './migrations/1733100000000-AddOutbox';
import { AddExpiredEntryRewritten1735300000000 } from './migrations/1735300000000-AddExpiredEntryRewritten';

/** The kv-entry service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function kvEntryDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [NamespaceEntity, EntryEntity],
    migrations: [
      CreateNamespacesAndEntries1732300000000,
      AddNamespaceMaxSecretVersions1732400000000,
      AddOutbox1733100000000,
      AddRequestOutcomes1735000000000,
      AddExpiredEntryRewritten1735300000000,
      AddChangeLog1735400000000,
    ],
    synchronize: false,
    migrationsRun: false,
  };
}

/** For the TypeORM CLI only (`typeorm -d dist/apps/kv-entry/src/database/data-source.js migration:run`). */
export default new DataSource(kvEntryDataSourceOptions(cliDatabaseUrl()));
