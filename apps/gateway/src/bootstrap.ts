import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { addRequestIdHook } from './http/fastify-adapter';
import { setupSwagger } from './swagger/swagger';

export const API_PREFIX = 'api/v1/kv';

/** Everything `main.ts` does to the app before it listens; the in-process spec does the same. */
export function configureGateway(app: NestFastifyApplication): void {
  addRequestIdHook(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX);
  setupSwagger(app);
  app.enableShutdownHooks();
}
