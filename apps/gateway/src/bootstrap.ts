import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registerAuditHooks } from './audit/audit-hooks';
import { AuditTrail } from './audit/audit-trail';
import { API_PREFIX } from './http/api-prefix';
import { addRequestIdHook } from './http/fastify-adapter';
import { setupSwagger } from './swagger/swagger';

export { API_PREFIX };

/** Everything `main.ts` does to the app before it listens; the in-process spec does the same. */
export function configureGateway(app: NestFastifyApplication): void {
  const instance = app.getHttpAdapter().getInstance();
  addRequestIdHook(instance);
  registerAuditHooks(instance, app.get(AuditTrail));
  app.setGlobalPrefix(API_PREFIX);
  setupSwagger(app);
  app.enableShutdownHooks();
}
