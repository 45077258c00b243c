import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditListRequest, AuditPage, AuditPattern, AuditVerifyRequest, AuditVerifyResult } from '@app/contracts';
import { AuditRecordsService } from './audit-records.service';

/** RPC entry points of the audit trail: validated request in (global pipe), one service call, DTO out. */
@Controller()
export class AuditRecordsHandler {
  constructor(private readonly records: AuditRecordsService) {}

  @MessagePattern(AuditPattern.LIST)
  list(@Payload() request: AuditListRequest): Promise<AuditPage> {
    return this.records.list(request.actor, request.query);
  }

  @MessagePattern(AuditPattern.VERIFY)
  verify(@Payload() request: AuditVerifyRequest): Promise<AuditVerifyResult> {
    return this.records.verify(request.actor);
  }
}
