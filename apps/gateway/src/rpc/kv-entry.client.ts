import type { EntryRpc, KvEntryChangeLogRpc, NamespaceRpc } from '@app/contracts';
import { ServiceClient } from './service-client';

/** The kv-entry service: namespaces and the entries of plain namespaces. Provided by RpcModule. */
export class KvEntryClient extends ServiceClient<NamespaceRpc & EntryRpc & KvEntryChangeLogRpc> {}
