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

export function refuseUndecodableQueries(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const start = request.url.indexOf('?');
    if (start === -1 || isDecodableQuery(request.url.slice(start + 1))) return done();
    done(new KvException(ErrorCode.VALIDATION_FAILED, 'the query string is not valid percent-encoded UTF-8'));
  });
}
