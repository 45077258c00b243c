import { DataSourceOptions } from 'typeorm';

/** The audit service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function auditDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
  };
}
