import type { AuditRpc } from './audit.rpc';
import { ServiceClient } from './service-client';

/** The audit service: queries of the audit trail. Provided by RpcModule. */
export class AuditClient extends ServiceClient<AuditRpc> {}
