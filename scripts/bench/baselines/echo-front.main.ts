/**
 * Baseline 2, HTTP side: a minimal Nest + Fastify app that forwards each GET as one request/reply to the echo server
 * with the gateway's own client (RpcClient: durable queue, direct reply-to, noDelay, a TTL per call), so autocannon can
 * drive "HTTP + one RMQ round trip" at the same concurrency as the gateway.
 * Run from dist/ by the bench; listens on BENCH_PORT (0: a free port, printed).
 */
import { Controller, Get, Inject, Logger, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { RpcClient, coalesceBrokerFrameWrites, connectToBroker, durableQueueOptions } from '@app/service-kit';
import { ECHO_PATTERN, ECHO_QUEUE } from './echo-protocol';

/** The gateway's timeout by default (KV_RPC_TIMEOUT_MS). */
const ECHO_TIMEOUT_MS = 5000;

@Controller()
class EchoFrontController {
  constructor(@Inject(RpcClient) private readonly client: RpcClient) {}

  @Get('echo')
  echo(@Query('key') key: string): Promise<unknown> {
    return this.client.request(ECHO_PATTERN, { key });
  }
}

@Module({
  providers: [
    {
      provide: RpcClient,
      useFactory: () =>
        new RpcClient(connectToBroker(process.env.KV_RABBITMQ_URL ?? '', new Logger('EchoFront')), {
          queue: ECHO_QUEUE,
          queueOptions: durableQueueOptions('classic'),
          timeoutMs: ECHO_TIMEOUT_MS,
        }),
    },
  ],
  controllers: [EchoFrontController],
})
class EchoFrontModule {}

async function main(): Promise<void> {
  // The platform's processes do the same: the baseline pays what their transport pays.
  coalesceBrokerFrameWrites();
  const app = await NestFactory.create<NestFastifyApplication>(EchoFrontModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.get(RpcClient).open();
  await app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1');
  // The bench reads the port it was given (0: any free one) from this line.
  console.log(`listening on ${(app.getHttpServer().address() as AddressInfo).port}`);
}

void main();
