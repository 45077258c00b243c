import { ErrorCode, KvException, NamespaceDescriptor } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { ChangeCaller, authorizeNamespace } from '@app/entry-store';

/**
 * A call of the secrets service: who asks (through which gateway request, if any), the namespace it
 * names and the descriptor the gateway routed it by. Every request message is one as it stands; it goes
 * whole to the change transaction, which derives the change's origin from it, so the actor authorized is
 * the one its events and history name.
 */
export interface SecretCall extends ChangeCaller {
  actor: Principal;
  namespaceId: string;
  namespace: NamespaceDescriptor;
}

/**
 * The namespace a call acts in, if the actor may do what `required` names there. The descriptor
 * comes from the gateway, which read it from the kv-entry service; it is checked against the id the
 * request names and must be of a secret namespace, so a misrouted call cannot slip through.
 */
export function authorizeSecretNamespace(call: SecretCall, required: readonly Permission[]): NamespaceDescriptor {
  const { actor, namespace: descriptor, namespaceId } = call;
  if (descriptor.id !== namespaceId) {
    throw new KvException(ErrorCode.VALIDATION_FAILED, `the namespace descriptor does not describe namespace ${namespaceId}`);
  }
  authorizeNamespace(actor, descriptor, namespaceId, required);
  if (!descriptor.isSecretNamespace) {
    throw new KvException(ErrorCode.NOT_A_SECRET_NAMESPACE, `namespace ${namespaceId} is not a secret namespace`);
  }
  return descriptor;
}
