import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorBody } from '../errors/http-exception.filter';

/** The few files of swagger-ui-dist the page loads, and their types. Nothing else is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** swagger-ui-dist as @nestjs/swagger (which depends on it) resolves it. */
function swaggerUiDistDirectory(): string {
  const swaggerEntry = require.resolve('@nestjs/swagger');
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [swaggerEntry] }));
}

export function swaggerUiHtml(uiPath: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>KV Service API</title>
  <link rel="stylesheet" href="${uiPath}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${uiPath}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${uiPath}/swagger-ui-bundle.js"></script>
  <script src="${uiPath}/swagger-ui-init.js"></script>
</body>
</html>
`;
}

export function swaggerUiInitJs(jsonPath: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: ${JSON.stringify(jsonPath)}, dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
};
`;
}

/** Registers the Swagger UI page, its init script and its assets (read once, on first use). */
export function serveSwaggerUi(fastify: FastifyInstance, uiPath: string, jsonPath: string): void {
  const html = swaggerUiHtml(uiPath);
  const initJs = swaggerUiInitJs(jsonPath);
  const cache = new Map<string, Buffer>();
  let directory: string | undefined;

  fastify.get(uiPath, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  fastify.get(`${uiPath}/swagger-ui-init.js`, (_request, reply) => reply.type('application/javascript; charset=utf-8').send(initJs));
  fastify.get<{ Params: { asset: string } }>(`${uiPath}/:asset`, (request, reply) => {
    const { asset } = request.params;
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    // Answered here rather than by the not-found handler, which audits: the API documents are not audited.
    if (!type) return reply.code(HttpStatus.NOT_FOUND).send(errorBody(HttpStatus.NOT_FOUND, ErrorCode.ROUTE_NOT_FOUND, 'route not found'));
    directory ??= swaggerUiDistDirectory();
    let content = cache.get(asset);
    if (!content) {
      content = readFileSync(join(directory, asset));
      cache.set(asset, content);
    }
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(content);
  });
}
