import { REQUEST_ID_HEADER, requestIdOf } from '@app/service-kit';
import type { IncomingMessage } from 'node:http';

/**
 * Fastify's `genReqId`: the caller's `x-request-id` when sane, else a new one. The id is written
 * back into the request's headers so that the logger (whose `genReqId` reads that header) and every
 * message to a service use the very same id.
 */
export function assignRequestId(request: IncomingMessage): string {
  const id = requestIdOf(request);
  request.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** The id of a Fastify request (or of its raw request, in middleware). */
export function requestIdOfRequest(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const { id, raw } = request as { id?: unknown; raw?: { id?: unknown } };
  if (typeof id === 'string') return id;
  return typeof raw?.id === 'string' ? raw.id : undefined;
}
