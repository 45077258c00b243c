/**
 * Baseline 2, service side: a Nest microservice on the services' own transport (ServiceRpcServer) answering every request with its payload, on the
 * same listener and message handling as the services (durable queue, prefetch 64, noDelay, acknowledgement
 * after handling, handling metrics). Run from dist/ by the bench.
 */
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, Payload } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { ServiceRpcServer, coalesceBrokerFrameWrites } from '@app/service-kit';
import { ECHO_PATTERN, ECHO_QUEUE } from './echo-protocol';

@Controller()
class EchoHandler {
  @MessagePattern(ECHO_PATTERN)
  echo(@Payload() payload: unknown): unknown {
    return payload;
  }
}

@Module({ controllers: [EchoHandler] })
class EchoServerModule {}

async function main(): Promise<void> {
  // The platform's processes do the same: the baseline pays what their transport pays.
  coalesceBrokerFrameWrites();
  const url = process.env.KV_RABBITMQ_URL ?? '';
  // The services' own listener settings and acknowledgement, so that the baseline costs what theirs does.
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoServerModule, {
    strategy: new ServiceRpcServer({
      url,
      queue: ECHO_QUEUE,
      queueType: 'classic',
      prefetchCount: 64,
      consumerTag: 'echo',
      registry: new Registry(),
    }),
    logger: ['error', 'warn'],
  });
  await app.listen();
  console.log('echo server consuming');
}

void main();
