import { ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal, canAccessApplication, isGranted } from '@app/permissions';

/** What authorization needs to know of a namespace, whichever service holds it. */
export interface NamespaceRef {
  id: string;
  applicationId: string;
}

/** One message for "absent" and "in an application you cannot access", so that neither leaks the other. */
export function namespaceNotFound(namespaceId: string): KvException {
  return new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${namespaceId} not found`);
}

export function missingPermission(permission: Permission): KvException {
  return new KvException(ErrorCode.FORBIDDEN, `missing permission ${permission}`);
}

/**
 * The namespace, if the actor may do what `required` names in it. A namespace of an application the
 * actor cannot access answers exactly like a missing one; a missing permission is FORBIDDEN and
 * names the permission. Namespace-scoped grants count for this namespace.
 */
export function authorizeNamespace<T extends NamespaceRef>(
  actor: Principal,
  namespace: T | null,
  requestedId: string,
  required: readonly Permission[],
): T {
  if (namespace === null || !canAccessApplication(actor, namespace.applicationId)) throw namespaceNotFound(requestedId);
  const missing = required.find((permission) => !isGranted(actor, permission, namespace.id));
  if (missing !== undefined) throw missingPermission(missing);
  return namespace;
}
