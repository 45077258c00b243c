/**
 * The platform under test: started by the bench on scratch databases and a vhost of its own (the e2e
 * harness's TestPlatform, so the developer's data is never touched), or a running one given by URL.
 */
import { join } from 'node:path';
import { mintToken } from '@app/tokens';
import { TestPlatform } from '../../test/support/test-platform';
import { PLATFORM_NODE_OPTIONS } from '../platform/services';
import { inspectorUrl } from './devtools';

export interface PlatformUnderTest {
  /** Base URL of the API, ending in /api/v1/kv. */
  apiUrl: string;
  token: string;
  /** Platform processes whose peak memory the bench can read; empty for a platform it did not start. */
  processIds: Map<string, number>;
  /** The gateway's Prometheus metrics, when known (its own port: not under apiUrl). */
  metricsUrl?: string;
  /** The gateway's inspector (DevTools protocol), when the bench started it with one. */
  gatewayInspectorUrl?: string;
  describe: string;
  stop(): Promise<void>;
}

/**
 * Settings of a bench run. Logging every request costs a large share of a request at these rates, so
 * every process logs warnings only; the rate limit would refuse most of a run's requests (one principal
 * makes them all), so it is lifted; the sweep runs at its production interval, not the e2e one.
 */
export const BENCH_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  KV_LOG_LEVEL: 'warn',
  KV_RPC_TIMEOUT_MS: '5000',
  KV_EXPIRY_SWEEP_INTERVAL_MS: '30000',
  KV_RATE_LIMIT_REQUESTS: '1000000000',
};

/**
 * The watch limits of the watch fan-out's own platform, on which the bench's one principal opens `watchers` watches
 * at once (32 a principal by default).
 */
export function watchLimitsFor(watchers: number): Record<string, string> {
  return { KV_WATCH_MAX_PER_PRINCIPAL: String(watchers), KV_WATCH_MAX_PER_GATEWAY: String(watchers) };
}

/**
 * `env`: settings of this platform on top of BENCH_ENV (another type of request queue, say); `inspectGateway`: the
 * gateway listens for an inspector on a loopback port of its choosing (the watch fan-out forces garbage collections
 * through it before it reads the gateway's memory).
 */
export async function startScratchPlatform(
  env: Record<string, string> = {},
  { inspectGateway = false }: { inspectGateway?: boolean } = {},
): Promise<PlatformUnderTest> {
  const platform = await TestPlatform.start({ ...BENCH_ENV, ...env }, () =>
    inspectGateway ? { gateway: { NODE_OPTIONS: `${PLATFORM_NODE_OPTIONS} --inspect=127.0.0.1:0` } } : {},
  );
  const token = await mintToken({ secret: platform.state.jwtSecret, sub: 'bench', permissions: ['*'], apps: ['*'], ttlSeconds: 3600 * 6 });
  return {
    apiUrl: platform.state.gatewayUrl,
    token,
    processIds: platform.processIds(),
    metricsUrl: platform.state.metricsUrls.gateway,
    gatewayInspectorUrl: inspectGateway ? inspectorUrl(join(platform.state.logDir, 'gateway.log')) : undefined,
    describe: `scratch (databases and vhost ${platform.state.runId}, logs in ${platform.state.logDir})`,
    stop: () => platform.stop(),
  };
}

/** `metricsUrl`: the gateway's Prometheus metrics, if the bench may scrape them (its memory, its open watches). */
export function attachToPlatform(url: string, token: string, metricsUrl?: string): PlatformUnderTest {
  const apiUrl = url.replace(/\/+$/, '').endsWith('/api/v1/kv') ? url.replace(/\/+$/, '') : `${url.replace(/\/+$/, '')}/api/v1/kv`;
  return { apiUrl, token, processIds: new Map(), metricsUrl, describe: apiUrl, stop: async () => undefined };
}
