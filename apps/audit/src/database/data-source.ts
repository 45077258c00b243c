import { DataSourceOptions } from 'typeorm';
import { AuditChainHeadEntity, AuditCheckpointEntity, AuditRecordEntity } from '../records/audit-record.entity';
import { CreateAuditTables1734000000000 } from './migrations/1734000000000-CreateAuditTables';

/** The audit service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function auditDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [AuditRecordEntity, AuditChainHeadEntity, AuditCheckpointEntity],
    migrations: [CreateAuditTables1734000000000],
    synchronize: false,
    migrationsRun: false,
  };
}
