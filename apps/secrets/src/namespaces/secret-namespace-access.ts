import { ErrorCode, KvException, NamespaceDescriptor } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { authorizeNamespace } from '@app/entry-store';

/**
 * The namespace a request acts in, if the actor may do what `required` names there. The descriptor
 * comes from the gateway, which read it from the kv-entry service; it is checked against the id the
 * request names and must be of a secret namespace, so a misrouted call cannot slip through.
 */
export function authorizeSecretNamespace(
  actor: Principal,
  descriptor: NamespaceDescriptor,
  namespaceId: string,
  required: readonly Permission[],
): NamespaceDescriptor {
  if (descriptor.id !== namespaceId) {
    throw new KvException(ErrorCode.VALIDATION_FAILED, `the namespace descriptor does not describe namespace ${namespaceId}`);
  }
  authorizeNamespace(actor, descriptor, namespaceId, required);
  if (!descriptor.isSecretNamespace) {
    throw new KvException(ErrorCode.NOT_A_SECRET_NAMESPACE, `namespace ${namespaceId} is not a secret namespace`);
  }
  return descriptor;
}
