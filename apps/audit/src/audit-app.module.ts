import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@app/service-kit/database';
import { AuditEnv } from './config/audit.env';
import { auditDataSourceOptions } from './database/data-source';
import { AuditRecordsModule } from './records/audit-records.module';

/**
 * The audit service: stores every audit record published on `kv.audit` in an append-only hash chain
 * (records/audit-record-consumer), and answers the list and verify queries on its request queue.
 * Records are only pruned by the `audit:prune` command (retention/).
 */
@Module({
  imports: [ServiceRuntimeModule.forService({ service: 'audit', env: AuditEnv, dataSource: auditDataSourceOptions }), AuditRecordsModule],
})
export class AuditAppModule {}
