import type { KvClient, Whoami } from '@kv-service/client';

/** Who is signed in: the gateway's own account of the token (its grants, applications and expiry). */
export type SessionPrincipal = Whoami;

type Permission = Whoami['granted'][number]['permission'];

/** Asks the gateway whether it accepts the token (a KvApiError when not) and what it grants. */
export function checkToken(client: KvClient): Promise<SessionPrincipal> {
  return client.whoami();
}

/**
 * Whether the token holds `permission` in every namespace, or with `namespaceId` in that one: what the console
 * offers. The gateway still decides every call (and a 403 is shown as such).
 */
export function mayDo(principal: SessionPrincipal, permission: Permission, namespaceId?: string): boolean {
  return principal.granted.some(
    (grant) =>
      grant.permission === permission && (grant.allNamespaces || (namespaceId !== undefined && grant.namespaceIds.includes(namespaceId))),
  );
}

/** Whether the token holds `permission` in at least one namespace (a listing then shows those). */
export function mayDoSomewhere(principal: SessionPrincipal, permission: Permission): boolean {
  return principal.granted.some((grant) => grant.permission === permission);
}

/** The namespaces in which the token holds `permission`: null when it holds it in every one. */
export function grantedNamespaces(principal: SessionPrincipal, permission: Permission): string[] | null {
  const grants = principal.granted.filter((grant) => grant.permission === permission);
  if (grants.some((grant) => grant.allNamespaces)) return null;
  return [...new Set(grants.flatMap((grant) => grant.namespaceIds))];
}
