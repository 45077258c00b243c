import { ALL_PERMISSIONS, Principal, grantedNamespaceScope } from '@app/permissions';
import type { GrantedPermissionDto, WhoamiDto } from './whoami.dto';

/**
 * What a token makes its caller, from the verified principal and expiry alone (never the token): its grants as stated,
 * and what they grant by the same rules the guards apply, so that a client offers only what the token allows.
 */
export function whoamiOf(principal: Principal, expiresAtMs: number, nowMs: number): WhoamiDto {
  const granted: GrantedPermissionDto[] = [];
  for (const permission of ALL_PERMISSIONS) {
    const scope = grantedNamespaceScope(principal, permission);
    if (scope.all) granted.push({ permission, allNamespaces: true, namespaceIds: [] });
    else if (scope.namespaceIds.length > 0) granted.push({ permission, allNamespaces: false, namespaceIds: scope.namespaceIds });
  }
  return {
    userId: principal.id,
    permissions: [...principal.permissions],
    granted,
    applications: [...principal.applications],
    expiresAt: new Date(expiresAtMs).toISOString(),
    expiresInSeconds: Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000)),
  };
}
