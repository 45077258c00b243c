import { Module } from '@nestjs/common';
import { AuditRecordConsumer } from './audit-record-consumer.service';
import { AuditRecordsHandler } from './audit-records.handler';
import { AuditRecordsRepository } from './audit-records.repository';
import { AuditRecordsService } from './audit-records.service';

/** The audit trail: stored from `kv.audit` by the consumer, read and verified over RPC. */
@Module({
  controllers: [AuditRecordsHandler],
  providers: [AuditRecordsRepository, AuditRecordsService, AuditRecordConsumer],
})
export class AuditRecordsModule {}
