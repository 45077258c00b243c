import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RabbitMqHealthIndicator } from './rabbitmq.health';

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
    private readonly rabbitMq: RabbitMqHealthIndicator,
    private readonly typeOrm: TypeOrmHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.rabbitMq.isReachable('rabbitmq', 3000)];
    if (this.options.database) checks.push(() => this.typeOrm.pingCheck('database', { timeout: 3000 }));
    return this.health.check(checks);
  }
}
