import { AddChangeLog1735400000000, AddRequestOutcomes1735000000000 } from '@app/entry-store';
import { DataSource, DataSourceOptions } from 'typeorm';
import { cliDatabaseUrl } from '../config/secrets.env';
import { SecretEntryEntity } from '../entries/secret-entry.entity';
import { SecretNamespaceEntity } from '../namespaces/secret-namespace.entity';
import { SecretVersionEntity } from '../versions/secret-version.entity';
import { CreateSecretTables1733000000000 } from './migrations/1733000000000-CreateSecretTables';
import { AddOutbox1733100000000 } from './migrations/1733100000000-AddOutbox';

/** The secrets service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function secretsDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [SecretNamespaceEntity, SecretEntryEntity, SecretVersionEntity],
    migrations: [CreateSecretTables1733000000000, AddOutbox1733100000000, AddRequestOutcomes1735000000000, AddChangeLog1735400000000],
    synchronize: false,
    migrationsRun: false,
  };
}

/** For the TypeORM CLI only (`typeorm -d dist/apps/secrets/src/database/data-source.js migration:run`). */
export default new DataSource(secretsDataSourceOptions(cliDatabaseUrl()));
