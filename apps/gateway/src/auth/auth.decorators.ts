import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Permission, Principal } from '@app/permissions';
import type { FastifyRequest } from 'fastify';

export const IS_PUBLIC_KEY = 'kv:public';
export const TOKEN_ONLY_KEY = 'kv:token-only';
export const PERMISSION_REQUIREMENT_KEY = 'kv:permission-requirement';
export const APPLICATION_ACCESS_KEY = 'kv:application-access';

/**
 * Where a required permission must hold: on the route's namespace (`:nsId`, or every namespace when
 * the route has none), on the namespace the query names (`?namespaceId=`, or every namespace without
 * one), or in at least one namespace, for listings the service narrows to the caller's grants.
 */
export type PermissionScope = 'route' | 'queried-namespace' | 'some-namespace';

export interface PermissionRequirement {
  permissions: readonly Permission[];
  scope: PermissionScope;
}

/** No token needed (health only). Every other route must declare the permissions it needs. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * A valid token and no permission: for a route that answers only what the caller's own token says (GET /whoami), which
 * its holder may always know and which reveals nothing stored. Declared, not left out, so that the permission guard's
 * default deny still refuses a route that forgot its declaration.
 */
export const RequireTokenOnly = () => applyDecorators(SetMetadata(TOKEN_ONLY_KEY, true), ApiBearerAuth());

/** The caller needs every one of these permissions on the route's namespace (or, without one, on all). */
export const RequirePermission = (...permissions: [Permission, ...Permission[]]) =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT_KEY, { permissions, scope: 'route' } satisfies PermissionRequirement),
    ApiBearerAuth(),
  );

/**
 * The caller needs every one of these permissions on the namespace `?namespaceId=` names, or on every
 * namespace without one: a query the service narrows to that namespace.
 */
export const RequirePermissionOnQueriedNamespace = (...permissions: [Permission, ...Permission[]]) =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT_KEY, { permissions, scope: 'queried-namespace' } satisfies PermissionRequirement),
    ApiBearerAuth(),
  );

/** The caller needs every one of these permissions in at least one namespace (a listing shows only those). */
export const RequirePermissionInSomeNamespace = (...permissions: [Permission, ...Permission[]]) =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT_KEY, { permissions, scope: 'some-namespace' } satisfies PermissionRequirement),
    ApiBearerAuth(),
  );

/** The caller must have access to the application named by this field of the body. */
export const RequireApplicationAccess = (bodyField: string) => SetMetadata(APPLICATION_ACCESS_KEY, bodyField);

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication guard on every non-public route. */
    principal?: Principal;
    /** When the principal's token expires (epoch ms), with it. */
    tokenExpiresAt?: number;
  }
}

/** When the authenticated caller's token expires, epoch ms (only on non-public routes). */
export const CurrentTokenExpiry = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const expiresAt = context.switchToHttp().getRequest<FastifyRequest>().tokenExpiresAt;
  if (expiresAt === undefined) throw new Error('CurrentTokenExpiry used on a route without authentication');
  return expiresAt;
});

/** The authenticated caller (only on non-public routes). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
