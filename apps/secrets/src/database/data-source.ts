import { DataSourceOptions } from 'typeorm';

/** The secrets service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function secretsDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
  };
}
