import send from '@fastify/send';
import { HttpStatus, Logger } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { errorBody } from '../errors/http-exception.filter';
import { CONSOLE_PATH, CONSOLE_SECURITY_HEADERS, consoleAnswerFor } from './console-route';

/**
 * The build's files, relative and with `/`, dotfiles left out (listed once: a new build comes with a restart, as the
 * server's own code does).
 */
function listFiles(directory: string): Set<string> {
  const files = readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, resolve(entry.parentPath, entry.name)).split(sep).join('/'));
  return new Set(files.filter((file) => !file.split('/').some((segment) => segment.startsWith('.'))));
}

/**
 * The web console's static files at /api/v1/kv/ui/, public as the Swagger UI is (plain Fastify routes, which Nest's
 * guards never see) and outside the per-address limit for refused calls (a page load is a dozen calls without a
 * token). A missing file is answered here, not by the not-found handler, which audits.
 */
export function serveConsole(fastify: FastifyInstance, consoleDirectory: string): void {
  const root = resolve(consoleDirectory);
  const logger = new Logger('Console');
  const built = existsSync(resolve(root, 'index.html'));
  const files = built ? listFiles(root) : new Set<string>();
  if (built) logger.log(`web console served from ${root} at ${CONSOLE_PATH}/`);
  else logger.warn(`web console not built (no ${root}/index.html): ${CONSOLE_PATH}/ answers 404; build it with npm run build`);

  const notFound = (reply: FastifyReply, message: string) =>
    reply.code(HttpStatus.NOT_FOUND).send(errorBody(HttpStatus.NOT_FOUND, ErrorCode.ROUTE_NOT_FOUND, message));

  // @fastify/send (what @fastify/static is built on) rather than the plugin: the plugin's current major pulls in ESM-only
  // packages Jest cannot load, and its older one breaks Nest's peer range; the file served is decided above, never by it.
  const answer = async (path: string, request: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(CONSOLE_SECURITY_HEADERS);
    if (!built) return notFound(reply, 'the web console is not part of this build (npm run build builds it)');
    const found = consoleAnswerFor(path, files);
    if (found.kind === 'missing') return notFound(reply, 'no such file in the web console');
    const encoded = found.file.split('/').map(encodeURIComponent).join('/');
    const sent = await send(request.raw, encoded, { root, dotfiles: 'deny', cacheControl: false, index: false });
    if (sent.type !== 'file') return notFound(reply, 'no such file in the web console');
    return reply.code(sent.statusCode).headers(sent.headers).header('cache-control', found.cacheControl).send(sent.stream);
  };

  const config = { outsideRefusedCallLimit: true };
  fastify.get(CONSOLE_PATH, { config }, (request, reply) => answer('', request, reply));
  fastify.get<{ Params: { '*': string } }>(`${CONSOLE_PATH}/*`, { config }, (request, reply) =>
    answer(request.params['*'], request, reply),
  );
}
