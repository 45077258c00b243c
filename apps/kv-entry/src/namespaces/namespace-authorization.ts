import { ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal, accessibleApplications, canAccessApplication, grantedNamespaceScope, isGranted } from '@app/permissions';
import { missingPermission } from '@app/entry-store';
import type { NamespaceEntity } from './namespace.entity';

/** Creating a namespace needs an unscoped NamespaceWrite and access to the application it goes in. */
export function authorizeNamespaceCreate(actor: Principal, applicationId: string): void {
  if (!isGranted(actor, Permission.NamespaceWrite)) throw missingPermission(Permission.NamespaceWrite);
  if (!canAccessApplication(actor, applicationId)) {
    throw new KvException(ErrorCode.FORBIDDEN, `no access to application ${applicationId}`);
  }
}

/** Entries of secret namespaces belong to the secrets service; plaintext is never stored here. */
export function assertPlainNamespace(namespace: NamespaceEntity): void {
  if (namespace.isSecret) {
    throw new KvException(
      ErrorCode.SECRET_NAMESPACE_UNSUPPORTED,
      `namespace ${namespace.id} is a secret namespace; its entries are served by the secrets service`,
    );
  }
}

/** What a namespace listing may show; `null` in a field means "no restriction". */
export interface NamespaceListScope {
  applicationIds: string[] | null;
  namespaceIds: string[] | null;
}

// Scoped grants are compared exactly, and Postgres prints uuids in lower case: only such ids can match.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The filter of a namespace listing: only accessible applications (narrowed to `applicationId` when
 * asked), and only the scoped namespaces when NamespaceRead is not granted for all of them.
 * Returns `null` when nothing can match (the page is empty); throws FORBIDDEN without any NamespaceRead.
 */
export function namespaceListScope(actor: Principal, applicationId?: string): NamespaceListScope | null {
  const readScope = grantedNamespaceScope(actor, Permission.NamespaceRead);
  if (!readScope.all && readScope.namespaceIds.length === 0) throw missingPermission(Permission.NamespaceRead);
  const namespaceIds = readScope.all ? null : readScope.namespaceIds.filter((id) => CANONICAL_UUID.test(id));

  let applicationIds: string[] | null;
  if (applicationId !== undefined) {
    if (!canAccessApplication(actor, applicationId)) return null;
    applicationIds = [applicationId];
  } else {
    const applications = accessibleApplications(actor);
    applicationIds = applications.all ? null : applications.applicationIds;
  }

  if (applicationIds?.length === 0 || namespaceIds?.length === 0) return null;
  return { applicationIds, namespaceIds };
}
