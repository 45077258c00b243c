import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { MessageMeta } from '@app/contracts';
import type { FastifyRequest } from 'fastify';
import { idempotencyOf } from '../idempotency/idempotency-key';
import { clientAddressOf } from './client-address';

/** Who asks, the request id, and a write's idempotency key, as every message to a service carries them (`MessageMeta`). */
export function messageMetaOf(
  request: Pick<FastifyRequest, 'principal' | 'id' | 'ip' | 'socket' | 'headers' | 'method' | 'url' | 'body'>,
): MessageMeta {
  const principal = request.principal;
  if (!principal) throw new Error('RequestMeta used on a route without authentication');
  return {
    // Only the principal's own fields: nothing else from the token travels.
    actor: { id: principal.id, permissions: [...principal.permissions], applications: [...principal.applications] },
    requestId: String(request.id),
    clientAddress: clientAddressOf(request),
    idempotency: idempotencyOf(request, principal.id),
  };
}

export const RequestMeta = createParamDecorator((_data: unknown, context: ExecutionContext): MessageMeta =>
  messageMetaOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
