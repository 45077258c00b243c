import type { AuditRpc } from '@app/contracts';
import { ServiceClient } from './service-client';

/** The audit service: queries of the audit trail. Provided by RpcModule. */
export class AuditClient extends ServiceClient<AuditRpc> {}
