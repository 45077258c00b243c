import { Controller, Get, Inject, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { BROKER_LINKS, BrokerLink } from './broker-links';
import { RabbitMqHealthIndicator } from './rabbitmq.health';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Whether readiness also pings this process's database. */
  database: boolean;
}

/** Liveness says the process runs; readiness says it can do its work (broker, and database if it owns one). */
@ApiExcludeController()
@Controller('health')
export class HealthController implements OnModuleInit {
  // Resolved only for a process with a database: constructing it loads TypeORM, which the gateway has no use for.
  private typeOrm?: TypeOrmHealthIndicator;
  /** The process's broker links, wherever provided (the gateway's RpcModule, a service's runtime): none if nowhere. */
  private links: readonly BrokerLink[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly rabbitMq: RabbitMqHealthIndicator,
    private readonly moduleRef: ModuleRef,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.database) this.typeOrm = await this.moduleRef.resolve(TypeOrmHealthIndicator, undefined, { strict: false });
    try {
      this.links = this.moduleRef.get<BrokerLink[]>(BROKER_LINKS, { strict: false });
    } catch {
      // No module of this process provides links.
    }
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [
      () => this.rabbitMq.isReachable('rabbitmq', 3000),
      () => this.rabbitMq.linksUp('rabbitmq-links', this.links),
    ];
    const typeOrm = this.typeOrm;
    if (typeOrm) checks.push(() => typeOrm.pingCheck('database', { timeout: 3000 }));
    return this.health.check(checks);
  }
}
