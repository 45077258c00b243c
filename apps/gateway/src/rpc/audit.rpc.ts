import { AuditListRequest, AuditPage, AuditPattern, AuditVerifyRequest, AuditVerifyResult } from '@app/contracts';

/** Every message the gateway sends to the audit service: its request and its reply. */
export interface AuditRpc {
  [AuditPattern.LIST]: { request: AuditListRequest; reply: AuditPage };
  [AuditPattern.VERIFY]: { request: AuditVerifyRequest; reply: AuditVerifyResult };
}
