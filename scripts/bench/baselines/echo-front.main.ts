/**
 * Baseline 2, HTTP side: a minimal Nest + Fastify app that forwards each GET as one RMQ request/reply
 * to the echo server with the gateway's client options (durable queue, direct reply-to, noDelay), so
 * autocannon can drive "HTTP + one RMQ round trip" at the same concurrency as the gateway.
 * Run from dist/ by the bench; listens on BENCH_PORT (0: a free port, printed).
 */
import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { coalesceBrokerFrameWrites, rmqSocketOptions } from '@app/service-kit';
import { firstValueFrom } from 'rxjs';
import { ECHO_PATTERN, ECHO_QUEUE } from './echo-protocol';

const ECHO_CLIENT = 'echo-client';

@Controller()
class EchoFrontController {
  constructor(@Inject(ECHO_CLIENT) private readonly client: ClientProxy) {}

  @Get('echo')
  echo(@Query('key') key: string): Promise<unknown> {
    return firstValueFrom(this.client.send(ECHO_PATTERN, { key }));
  }
}

@Module({
  imports: [
    ClientsModule.register([
      {
        name: ECHO_CLIENT,
        transport: Transport.RMQ,
        options: {
          urls: [process.env.KV_RABBITMQ_URL ?? ''],
          queue: ECHO_QUEUE,
          queueOptions: { durable: true },
          socketOptions: rmqSocketOptions(),
        },
      },
    ]),
  ],
  controllers: [EchoFrontController],
})
class EchoFrontModule {}

async function main(): Promise<void> {
  // The platform's processes do the same: the baseline pays what their transport pays.
  coalesceBrokerFrameWrites();
  const app = await NestFactory.create<NestFastifyApplication>(EchoFrontModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.get<ClientProxy>(ECHO_CLIENT).connect();
  await app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1');
  // The bench reads the port it was given (0: any free one) from this line.
  console.log(`listening on ${(app.getHttpServer().address() as AddressInfo).port}`);
}

void main();
