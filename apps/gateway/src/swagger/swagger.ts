import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { serveSwaggerUi } from './swagger-ui';

export const SWAGGER_UI_PATH = 'api/v1/kv/swagger-ui';
export const OPENAPI_JSON_PATH = 'api/v1/kv/openapi.json';

// A wildcard at the end is `{path}`; one followed by an operation segment (`*/rotate`) is `{path<offset>}`.
const WILDCARD_SEGMENT = /\/(?:\*|\{path\d*\})(?=\/|$)/;

/**
 * The scanner names the entry wildcard `{path}` (or `{path24}` before an operation's segment); the
 * document names it `{key}`, as its parameter does: `/{nsId}/entries/{key}/rotate`.
 */
export function renameWildcardPaths(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path.replace(WILDCARD_SEGMENT, '/{key}'), item]));
  return { ...document, paths };
}

export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('KV Service')
    .setDescription(
      'Configuration, environment variables and secrets behind one gateway. Every route but health needs ' +
        '`Authorization: Bearer <JWT>`; every error is `{ statusCode, error, message, code }` with a stable `code`.',
    )
    .setVersion('1')
    // Relative: the document is served by the gateway it describes, whatever its address.
    .addServer('/', 'this gateway')
    .addTag('auth', "What the caller's token makes it: its principal, grants, applications and expiry")
    .addTag('namespaces', 'Namespaces group the entries of an application; plain or secret, chosen at creation')
    .addTag('entries', 'Typed values under hierarchical keys, one at a time or up to 1000 a call')
    .addTag('secrets', 'Versions, rotation and rollback of the entries of secret namespaces')
    .addTag('watch', "A namespace's changes as they happen, as Server-Sent Events resumable from any read's revision")
    .addTag('audit', 'The tamper-evident trail of every change, read and refused call')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return renameWildcardPaths(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] }));
}

/**
 * The OpenAPI JSON through SwaggerModule, and the UI from our own small routes: SwaggerModule's UI
 * needs `@fastify/static` under Fastify (without it the process exits at start-up).
 */
export function setupSwagger(app: NestFastifyApplication): OpenAPIObject {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup(SWAGGER_UI_PATH, app, document, { ui: false, raw: ['json'], jsonDocumentUrl: OPENAPI_JSON_PATH });
  serveSwaggerUi(app.getHttpAdapter().getInstance(), `/${SWAGGER_UI_PATH}`, `/${OPENAPI_JSON_PATH}`);
  return document;
}
