/**
 * Default-deny evaluation of a principal's grants. A grant is `resource:action`, `resource:*` or `*`,
 * optionally scoped to one namespace as `<grant>@<namespaceId>`. Anything else grants nothing: parsing
 * never throws, and all comparisons are exact (no prefix matching, no case folding).
 */
import { ALL_PERMISSIONS, Permission } from './permission';
import { Principal } from './principal';

/** What one well-formed grant covers; `namespaceId` is set only for a scoped grant. */
interface ParsedGrant {
  permissions: readonly Permission[];
  namespaceId?: string;
}

export type NamespaceScope = { all: true } | { all: false; namespaceIds: string[] };
export type ApplicationScope = { all: true } | { all: false; applicationIds: string[] };

const ALL_APPLICATIONS = '*';

function resourceOf(permission: Permission): string {
  return permission.slice(0, permission.indexOf(':'));
}

/** The permissions a grant without its scope names; empty when it names nothing known. */
function permissionsNamedBy(body: string): readonly Permission[] {
  if (body === '*') return ALL_PERMISSIONS;
  if (body.endsWith(':*')) {
    const resource = body.slice(0, -':*'.length);
    return ALL_PERMISSIONS.filter((permission) => resourceOf(permission) === resource);
  }
  return ALL_PERMISSIONS.filter((permission) => permission === body);
}

function parseGrant(grant: string): ParsedGrant | undefined {
  const parts = grant.split('@');
  const namespaceId: string | undefined = parts[1];
  // `a@b@c` and a dangling `a@` are malformed, not "unscoped".
  if (parts.length > 2 || namespaceId === '') return undefined;
  const permissions = permissionsNamedBy(parts[0]);
  return permissions.length === 0 ? undefined : { permissions, namespaceId };
}

/** The principal's well-formed grants that include `permission`, in any scope. */
function grantsCovering(principal: Principal, permission: Permission): ParsedGrant[] {
  return principal.permissions
    .map(parseGrant)
    .filter((grant): grant is ParsedGrant => grant !== undefined && grant.permissions.includes(permission));
}

export function isKnownGrant(grant: string): boolean {
  return parseGrant(grant) !== undefined;
}

/**
 * True if some grant covers `permission` here. An unscoped grant covers every namespace; a scoped one
 * only its own, so without a `namespaceId` only unscoped grants count.
 */
export function isGranted(principal: Principal, permission: Permission, namespaceId?: string): boolean {
  return grantsCovering(principal, permission).some((grant) => grant.namespaceId === undefined || grant.namespaceId === namespaceId);
}

/** Which namespaces a listing may show for `permission`: all of them, or only those named by scoped grants. */
export function grantedNamespaceScope(principal: Principal, permission: Permission): NamespaceScope {
  const grants = grantsCovering(principal, permission);
  if (grants.some((grant) => grant.namespaceId === undefined)) return { all: true };
  const namespaceIds = grants.map((grant) => grant.namespaceId).filter((id): id is string => id !== undefined);
  return { all: false, namespaceIds: [...new Set(namespaceIds)] };
}

export function canAccessApplication(principal: Principal, applicationId: string): boolean {
  return principal.applications.includes(ALL_APPLICATIONS) || principal.applications.includes(applicationId);
}

export function accessibleApplications(principal: Principal): ApplicationScope {
  if (principal.applications.includes(ALL_APPLICATIONS)) return { all: true };
  return { all: false, applicationIds: [...new Set(principal.applications)] };
}
