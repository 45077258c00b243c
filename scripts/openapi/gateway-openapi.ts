/**
 * The gateway's OpenAPI document and the client's types generated from it, made in-process: no
 * platform, broker or database is needed (Nest's preview mode scans the modules without instantiating
 * any provider, so nothing connects).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

/** Settings the gateway's config validation demands at import; none of them shapes the document. */
const DOCUMENT_ENV: Record<string, string> = {
  KV_JWT_SECRET: 'openapi-document-only-openapi-document-only',
  KV_RABBITMQ_URL: 'amqp://127.0.0.1:1',
  KV_LOG_LEVEL: 'silent',
};

export async function gatewayOpenApiDocument(): Promise<OpenAPIObject> {
  for (const [name, value] of Object.entries(DOCUMENT_ENV)) process.env[name] ??= value;
  // Required after the environment is set: ConfigModule validates it when the module is loaded.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { GatewayAppModule } =
    require('../../apps/gateway/src/gateway-app.module') as typeof import('../../apps/gateway/src/gateway-app.module');
  const { API_PREFIX } = require('../../apps/gateway/src/http/api-prefix') as typeof import('../../apps/gateway/src/http/api-prefix');
  const { createGatewayAdapter } =
    require('../../apps/gateway/src/http/fastify-adapter') as typeof import('../../apps/gateway/src/http/fastify-adapter');
  const { createOpenApiDocument } =
    require('../../apps/gateway/src/swagger/swagger') as typeof import('../../apps/gateway/src/swagger/swagger');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayAppModule,
    createGatewayAdapter({ bodyLimit: 1024, maxBodyDepth: 64, trustedProxies: [] }),
    {
      preview: true,
      logger: false,
    },
  );
  try {
    app.setGlobalPrefix(API_PREFIX);
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

const HEADER = [
  '/**',
  " * Generated from the gateway's OpenAPI document by `npm run generate:client-types`: do not edit.",
  ' * A unit spec (scripts/openapi/client-types.spec.ts) fails when this file is stale.',
  ' */',
  '',
].join('\n');

/** The source of libs/client/src/generated/openapi.ts. */
export async function clientTypesSource(): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const document = await gatewayOpenApiDocument();
  // openapi-typescript's own OpenAPI3 type and Nest's OpenAPIObject describe the same JSON.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}
