import type { SecretsChangeLogRpc, SecretsRpc } from '@app/contracts';
import { ServiceClient } from './service-client';

/** The secrets service: the entries of secret namespaces, their versions and rotation. Provided by RpcModule. */
export class SecretsClient extends ServiceClient<SecretsRpc & SecretsChangeLogRpc> {}
