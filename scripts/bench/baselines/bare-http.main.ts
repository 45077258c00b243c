/**
 * Baseline 1, the HTTP limit: a minimal Nest + Fastify app (the gateway's framework) answering a
 * constant. Run from dist/ by the bench; listens on BENCH_PORT (0: a free port, printed).
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class ConstantController {
  @Get('constant')
  constant(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [ConstantController] })
class BareHttpModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareHttpModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1');
  // The bench reads the port it was given (0: any free one) from this line.
  console.log(`listening on ${(app.getHttpServer().address() as AddressInfo).port}`);
}

void main();
