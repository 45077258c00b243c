import { randomUUID } from 'node:crypto';
import { Logger as NestLogger, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { ServiceQueue } from '@app/contracts';
import type { ServiceEnv } from '../config/common-env';
import { coalesceBrokerFrameWrites } from '../messaging/coalesced-frame-writes';
import { ServiceRpcServer } from '../rpc/rpc-server';
import { createRpcValidationPipe } from '../rpc/rpc-validation.pipe';
import { ServiceErrorFilter } from '../rpc/service-error.filter';
import { METRICS_REGISTRY } from '../metrics/metrics';
import { BROKER_LINKS, BrokerLink } from '../health/broker-links';
import type { Tracing } from '../tracing/start-tracing';
import { stopGracefully } from './stop-gracefully';

/**
 * Starts a service: HTTP for health and metrics, and the RabbitMQ listener on its durable queue. The pipe and filter go on the
 * app before the listener connects (`inheritAppConfig`): Nest 11 sets a connected listener's handlers up at once and ignores
 * later registrations. HTTP listens first, so liveness answers while the broker is away and readiness reports it. On
 * stop, `tracing` flushes the spans of the work it finished.
 */
export async function bootstrapService(appModule: Type<unknown>, queue: ServiceQueue, tracing: Tracing): Promise<NestFastifyApplication> {
  coalesceBrokerFrameWrites();
  const app = await NestFactory.create<NestFastifyApplication>(appModule, new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const config = app.get<ConfigService<ServiceEnv, true>>(ConfigService);

  app.useGlobalPipes(createRpcValidationPipe());
  app.useGlobalFilters(new ServiceErrorFilter(app.getHttpAdapter()));
  const listener = new ServiceRpcServer({
    url: config.get('KV_RABBITMQ_URL', { infer: true }),
    queue,
    queueType: config.get('KV_RABBITMQ_REQUEST_QUEUE_TYPE', { infer: true }),
    prefetchCount: config.get('KV_RABBITMQ_PREFETCH', { infer: true }),
    consumerTag: `${queue}-${randomUUID()}`,
    registry: app.get(METRICS_REGISTRY),
  });
  app.connectMicroservice({ strategy: listener }, { inheritAppConfig: true });
  app.get<BrokerLink[]>(BROKER_LINKS).push(listener);
  stopGracefully(async () => {
    // Before the app's own hooks: the messages in hand still need the database and the outbox relay.
    await listener.drain();
    await app.close();
    await tracing.shutdown();
  });

  const port = config.get('KV_HTTP_PORT', { infer: true });
  await app.listen(port, config.get('KV_MANAGEMENT_BIND_ADDRESS', { infer: true }));
  await app.startAllMicroservices();
  new NestLogger('Bootstrap').log(
    `${queue} service ready: consuming ${config.get('KV_RABBITMQ_REQUEST_QUEUE_TYPE', { infer: true })} queue "${queue}", health on port ${port}`,
  );
  return app;
}
