import type { ChangeCaller } from '@app/entry-store';
import type { Principal } from '@app/permissions';

/**
 * A call of the kv-entry service: who asks, and through which gateway request (if any). Every request
 * message is one as it stands (a test or script names the actor alone); it goes whole to the change
 * transaction, which derives the change's origin from it, so the actor authorized is the one its events name.
 */
export interface KvCall extends ChangeCaller {
  actor: Principal;
}

/** A call about one namespace: the namespace itself, or its entries. */
export interface NamespaceCall extends KvCall {
  namespaceId: string;
}
