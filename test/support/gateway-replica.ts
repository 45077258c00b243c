import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { RunningService, startService, waitUntilReady } from '../../scripts/platform/processes';
import { SERVICES } from '../../scripts/platform/services';
import { platformState } from './api';
import { TEST_QUEUE_TYPES } from './rabbitmq-vhost';
import { freePort } from './test-platform';

export interface GatewayReplica {
  replica: RunningService;
  /** Its API root, e.g. http://127.0.0.1:20123/api/v1/kv. */
  url: string;
  metricsUrl: string;
  /** Its log lines so far. */
  lines: string[];
}

/** A second gateway on the platform, as a replica: started with `env`, its log lines collected (and written to `logName`). */
export async function startGatewayReplica(logName: string, env: Record<string, string>): Promise<GatewayReplica> {
  const state = platformState();
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const log = createWriteStream(join(state.logDir, logName), { flags: 'a' });
  const lines: string[] = [];
  const replica = startService(
    SERVICES.find((service) => service.name === 'gateway')!,
    httpPort,
    {
      NODE_ENV: 'test',
      KV_LOG_LEVEL: 'debug',
      KV_RABBITMQ_URL: state.rabbitmqUrl,
      ...TEST_QUEUE_TYPES,
      KV_JWT_SECRET: state.jwtSecret,
      KV_METRICS_PORT: String(metricsPort),
      ...env,
    },
    (line) => {
      lines.push(line);
      log.write(`${line}\n`);
    },
  );
  await waitUntilReady(replica);
  return { replica, url: `http://127.0.0.1:${httpPort}/api/v1/kv`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, lines };
}
