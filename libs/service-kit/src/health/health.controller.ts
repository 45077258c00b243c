import { Controller, Get, Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Transport } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, MicroserviceHealthIndicator, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { CommonEnv } from '../config/common-env';
import { rmqSocketOptions } from '../rpc/rmq-options';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Whether readiness also pings this process's database. */
  database: boolean;
}

/** Liveness says the process runs; readiness says it can do its work (broker, and database if it owns one). */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly microservice: MicroserviceHealthIndicator,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly config: ConfigService<CommonEnv, true>,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [
      () =>
        this.microservice.pingCheck('rabbitmq', {
          transport: Transport.RMQ,
          options: { urls: [this.config.get('KV_RABBITMQ_URL', { infer: true })], socketOptions: rmqSocketOptions() },
          timeout: 3000,
        }),
    ];
    if (this.options.database) checks.push(() => this.typeOrm.pingCheck('database', { timeout: 3000 }));
    return this.health.check(checks);
  }
}
