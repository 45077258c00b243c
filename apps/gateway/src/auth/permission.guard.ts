import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal, canAccessApplication, grantedNamespaceScope, isGranted } from '@app/permissions';
import type { FastifyRequest } from 'fastify';
import { canonicalNamespaceId } from '../http/namespace-id.pipe';
import {
  APPLICATION_ACCESS_KEY,
  IS_PUBLIC_KEY,
  PERMISSION_REQUIREMENT_KEY,
  PermissionRequirement,
  TOKEN_ONLY_KEY,
} from './auth.decorators';

function holds(principal: Principal, permission: Permission, requirement: PermissionRequirement, request: FastifyRequest): boolean {
  switch (requirement.scope) {
    case 'route':
      return isGranted(principal, permission, namespaceIdIn(request.params, 'nsId'));
    case 'queried-namespace':
      return isGranted(principal, permission, namespaceIdIn(request.query, 'namespaceId'));
    case 'some-namespace': {
      const scope = grantedNamespaceScope(principal, permission);
      return scope.all || scope.namespaceIds.length > 0;
    }
  }
}

/**
 * A namespace id as the handler will use it (NamespaceIdPipe, AuditQuery): a grant names one spelling
 * of the id. Anything but one string (a repeated query parameter, say) names no namespace here, so only
 * unscoped grants count, and validation refuses it afterwards.
 */
function namespaceIdIn(source: unknown, field: string): string | undefined {
  const namespaceId = stringField(source, field);
  return namespaceId === undefined ? undefined : canonicalNamespaceId(namespaceId);
}

function stringField(source: unknown, field: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Last global guard, default deny: a route that is neither `@Public()` nor declares its permissions (or, with
 * `@RequireTokenOnly()`, that it needs none) is refused, so a forgotten decorator can never open a route.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.reflector.getAllAndOverride<boolean>(TOKEN_ONLY_KEY, targets)) {
      if (!request.principal) throw new KvException(ErrorCode.UNAUTHENTICATED, 'authentication required');
      return true;
    }
    const requirement = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(PERMISSION_REQUIREMENT_KEY, targets);
    if (!requirement || requirement.permissions.length === 0) {
      throw new KvException(ErrorCode.FORBIDDEN, 'route declares no permission');
    }
    const principal = request.principal;
    if (!principal) throw new KvException(ErrorCode.UNAUTHENTICATED, 'authentication required');
    for (const permission of requirement.permissions) {
      if (!holds(principal, permission, requirement, request)) {
        throw new KvException(ErrorCode.FORBIDDEN, `missing permission ${permission}`);
      }
    }
    const applicationField = this.reflector.get<string | undefined>(APPLICATION_ACCESS_KEY, context.getHandler());
    const applicationId = applicationField ? stringField(request.body, applicationField) : undefined;
    // A missing or non-string id is left to validation, which refuses it with 400.
    if (applicationId !== undefined && !canAccessApplication(principal, applicationId)) {
      throw new KvException(ErrorCode.FORBIDDEN, `no access to application ${applicationId}`);
    }
    return true;
  }
}
