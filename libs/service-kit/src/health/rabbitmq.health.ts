import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { connect } from 'amqplib';
import type { CommonEnv } from '../config/common-env';
import { BrokerLink, linksDown } from './broker-links';

/**
 * Readiness of the broker: one AMQP handshake with a timeout, then close. A plain amqplib connection
 * (rather than a Nest client per probe) has no channel setup that could fail after the probe is done.
 */
@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: ConfigService<CommonEnv, true>,
  ) {}

  async isReachable(key: string, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    try {
      const connection = await connect(this.config.get('KV_RABBITMQ_URL', { infer: true }), { timeout: timeoutMs, noDelay: true });
      connection.on('error', () => undefined);
      await connection.close();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }

  /** Down while any of `links` is: the process cannot do its work over a broker it can reach. */
  linksUp(key: string, links: readonly BrokerLink[]) {
    const indicator = this.indicators.check(key);
    const down = linksDown(links);
    return down.length === 0 ? indicator.up({ links: links.length }) : indicator.down({ message: `down: ${down.join(', ')}` });
  }
}
