import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditAction, AuditPage, AuditPattern, AuditQuery, AuditVerifyResult, ErrorCode, MessageMeta } from '@app/contracts';
import { Permission } from '@app/permissions';
import { RequirePermission, RequirePermissionOnQueriedNamespace } from '../auth/auth.decorators';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequestMeta } from '../http/message-meta.decorator';
import { AuditClient } from '../rpc/audit.client';
import { Audited } from './audited.decorator';

/**
 * Queries of the audit trail, answered by the audit service, which narrows them to the caller's
 * applications. `audit` is a static segment: it never reaches the `/:nsId/...` routes (namespace ids are UUIDs).
 */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditClient) {}

  @Get()
  // A grant of kv-audit:read scoped to a namespace counts for a query of that namespace (the audit service narrows to it).
  @RequirePermissionOnQueriedNamespace(Permission.AuditRead)
  @Audited(AuditAction.AUDIT_READ)
  @ApiOperation({
    summary: 'List audit records, newest first, filtered by namespace, key, action, user, outcome and time',
    description:
      'Needs `kv-audit:read` (scoped to a namespace, it counts with `?namespaceId=` of that namespace). Records never hold values; `keyPath` is exact, `from` inclusive and `to` exclusive.',
  })
  @ApiOkResponse({ type: AuditPage })
  @ApiErrors(ErrorCode.INVALID_CURSOR)
  list(@RequestMeta() meta: MessageMeta, @Query() query: AuditQuery): Promise<AuditPage> {
    return this.audit.send(AuditPattern.LIST, { ...meta, query });
  }

  @Get('verify')
  @RequirePermission(Permission.AuditRead)
  @Audited(AuditAction.AUDIT_READ)
  @ApiOperation({
    summary: "Verify the audit trail's hash chain: whether any record was changed, removed or inserted",
    description:
      'Needs `kv-audit:read` on every namespace. Walks the chain from its checkpoint and says where the first broken link is, if any.',
  })
  @ApiOkResponse({ type: AuditVerifyResult })
  @ApiErrors()
  verify(@RequestMeta() meta: MessageMeta): Promise<AuditVerifyResult> {
    return this.audit.send(AuditPattern.VERIFY, meta);
  }
}
