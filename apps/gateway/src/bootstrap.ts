import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { serveConsole } from './console/serve-console';
import type { GatewayEnv } from './config/gateway.env';
import { API_PREFIX } from './http/api-prefix';
import { addRequestIdHook } from './http/fastify-adapter';
import { refuseMalformedRequests } from './http/request-checks';
import { setupSwagger } from './swagger/swagger';

export { API_PREFIX };

/** Everything `main.ts` does to the app before it listens; the in-process spec does the same. */
export function configureGateway(app: NestFastifyApplication): void {
  addRequestIdHook(app.getHttpAdapter().getInstance());
  refuseMalformedRequests(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX);
  setupSwagger(app);
  serveConsole(app.getHttpAdapter().getInstance(), app.get(ConfigService<GatewayEnv, true>).get('KV_CONSOLE_DIR', { infer: true }));
  app.enableShutdownHooks();
}
