/**
 * The platform under test: started by the bench on scratch databases and a vhost of its own (the e2e
 * harness's TestPlatform, so the developer's data is never touched), or a running one given by URL.
 */
import { mintToken } from '@app/tokens';
import { TestPlatform } from '../../test/support/test-platform';

export interface PlatformUnderTest {
  /** Base URL of the API, ending in /api/v1/kv. */
  apiUrl: string;
  token: string;
  /** Platform processes whose peak memory the bench can read; empty for a platform it did not start. */
  processIds: Map<string, number>;
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

/** `env`: settings of this platform on top of BENCH_ENV (another type of request queue, say). */
export async function startScratchPlatform(env: Record<string, string> = {}): Promise<PlatformUnderTest> {
  const platform = await TestPlatform.start({ ...BENCH_ENV, ...env });
  const token = await mintToken({ secret: platform.state.jwtSecret, sub: 'bench', permissions: ['*'], apps: ['*'], ttlSeconds: 3600 * 6 });
  return {
    apiUrl: platform.state.gatewayUrl,
    token,
    processIds: platform.processIds(),
    describe: `scratch (databases and vhost ${platform.state.runId}, logs in ${platform.state.logDir})`,
    stop: () => platform.stop(),
  };
}

export function attachToPlatform(url: string, token: string): PlatformUnderTest {
  const apiUrl = url.replace(/\/+$/, '').endsWith('/api/v1/kv') ? url.replace(/\/+$/, '') : `${url.replace(/\/+$/, '')}/api/v1/kv`;
  return { apiUrl, token, processIds: new Map(), describe: apiUrl, stop: async () => undefined };
}
