import { RouteConfig } from '@nestjs/platform-fastify';
import type { AuditAction } from '@app/contracts';
import type { FastifyContextConfig, FastifyRequest } from 'fastify';

/** What the audit trail needs to know of a route. */
export interface AuditedRoute {
  action: AuditAction;
  /** Its reply carries entry values: in a secret namespace it is sent only once its record is confirmed. */
  revealsValues: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@Audited`. */
    audit?: AuditedRoute;
  }
}

/**
 * The audit action of a route. It lives in the Fastify route's config, not in Nest metadata, so that
 * the exception filter, which sees only the request, knows it even when a guard refused the call.
 * (Fastify keeps one config per route: no other `@RouteConfig` may be used on an audited handler.)
 */
export const Audited = (action: AuditAction, options: { revealsValues?: boolean } = {}) =>
  RouteConfig({ audit: { action, revealsValues: options.revealsValues ?? false } } satisfies FastifyContextConfig);

/** The audit declaration of the route a request matched; `undefined` for an unaudited or unknown route. */
export function auditedRouteOf(request: Pick<FastifyRequest, 'routeOptions'>): AuditedRoute | undefined {
  return request.routeOptions.config?.audit;
}
