import { DataSourceOptions } from 'typeorm';
import {
  AuditChainHeadEntity,
  AuditCheckpointEntity,
  AuditPrunedIdEntity,
  AuditPrunedIdHorizonEntity,
  AuditReanchorEntity,
  AuditRecordEntity,
} from '../records/audit-record.entity';
import { CreateAuditTables1734000000000 } from './migrations/1734000000000-CreateAuditTables';
import { AddAuditReanchors1734100000000 } from './migrations/1734100000000-AddAuditReanchors';
import { AddAuditPrunedIds1735300000000 } from './migrations/1735300000000-AddAuditPrunedIds';

/** The audit service's own database. Entities and migrations are listed as classes so that ts and dist agree. */
export function auditDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [
      AuditRecordEntity,
      AuditChainHeadEntity,
      AuditCheckpointEntity,
      AuditReanchorEntity,
      AuditPrunedIdEntity,
      AuditPrunedIdHorizonEntity,
    ],
    migrations: [CreateAuditTables1734000000000, AddAuditReanchors1734100000000, AddAuditPrunedIds1735300000000],
    synchronize: false,
    migrationsRun: false,
  };
}
