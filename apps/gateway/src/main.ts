import { tracing } from './tracing';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { coalesceBrokerFrameWrites, createMetricsRegistry } from '@app/service-kit';
import { API_PREFIX, configureGateway } from './bootstrap';
import { gatewayHttpOptionsOf, readGatewayEnv } from './config/gateway.env';
import { GatewayAppModule } from './gateway-app.module';
import { createGatewayAdapter } from './http/fastify-adapter';
import { AuditTrail } from './audit/audit-trail';
import { EntryCache } from './entries/entry-cache';
import {
  recordAuditTrailMetrics,
  recordEntryCacheMetrics,
  recordHttpMetrics,
  recordWatchMetrics,
  serveMetrics,
} from './metrics/http-metrics';
import { WatchRegistry } from './watch/watch-registry';
import { SWAGGER_UI_PATH } from './swagger/swagger';
import { CONSOLE_PATH } from './console/console-route';

async function bootstrap(): Promise<void> {
  coalesceBrokerFrameWrites();
  // The body limits and trusted proxies are server options, needed before Nest (and its ConfigModule) exist.
  const env = readGatewayEnv();
  const app = await NestFactory.create<NestFastifyApplication>(GatewayAppModule, createGatewayAdapter(gatewayHttpOptionsOf(env)), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const metrics = createMetricsRegistry('gateway');
  recordHttpMetrics(app.getHttpAdapter().getInstance(), metrics);
  recordEntryCacheMetrics(app.get(EntryCache), metrics);
  recordAuditTrailMetrics(app.get(AuditTrail), metrics);
  recordWatchMetrics(app.get(WatchRegistry), metrics);
  configureGateway(app);
  const metricsServer = await serveMetrics(metrics, env.KV_METRICS_PORT, env.KV_MANAGEMENT_BIND_ADDRESS);
  // Nest closes its own server on SIGTERM, once its requests are answered; this one closes with it, and the spans of
  // those requests are flushed.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_instance, done) => void metricsServer.close(() => void tracing.shutdown().finally(done)));
  await app.listen(env.KV_HTTP_PORT, '0.0.0.0');
  logger.log(
    `gateway ready on http://0.0.0.0:${env.KV_HTTP_PORT}/${API_PREFIX} (docs: /${SWAGGER_UI_PATH}, console: ${CONSOLE_PATH}/)`,
    'Bootstrap',
  );
}

void bootstrap();
