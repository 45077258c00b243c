import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyInstance } from 'fastify';

/**
 * Whether every name and value of a query string is valid percent-encoded UTF-8. Fastify's parser keeps
 * an undecodable component as it was sent (`%ED%A0%80`, a UTF-16 surrogate spelled in UTF-8, would be
 * looked up as those nine characters), so such a query is refused rather than read as something else.
 */
export function isDecodableQuery(query: string): boolean {
  if (!query.includes('%')) return true;
  for (const component of query.split(/[&=]/)) {
    try {
      decodeURIComponent(component.replaceAll('+', ' '));
    } catch {
      return false;
    }
  }
  return true;
}

/** Why a request is malformed in a way no route's validation sees, or `null`. */
export function malformedRequestProblem(request: { url: string; headers: { host?: string }; raw: { httpVersion: string } }): string | null {
  // Node would answer this itself, without the error shape (see createGatewayAdapter's `requireHostHeader`).
  if (request.headers.host === undefined && request.raw.httpVersion === '1.1') return 'an HTTP/1.1 request must carry a Host header';
  const start = request.url.indexOf('?');
  if (start !== -1 && !isDecodableQuery(request.url.slice(start + 1))) return 'the query string is not valid percent-encoded UTF-8';
  return null;
}

/** 400 for what `malformedRequestProblem` finds; an unknown route stays a 404, whatever its query. */
export function refuseMalformedRequests(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const problem = request.is404 ? null : malformedRequestProblem(request);
    done(problem === null ? undefined : new KvException(ErrorCode.VALIDATION_FAILED, problem));
  });
}
