import { stopService } from '../scripts/platform/processes';
import { call } from './support/api';
import { TestPlatform } from './support/test-platform';
import { runWorkload, sleep } from './support/workload';
import { anAdmin, signedToken } from './support/principals';

/**
 * A rolling update of a service under load: a new instance starts, the old one gets SIGTERM while
 * requests keep coming. The old instance stops taking messages, finishes and answers those in hand,
 * hands back what it had not started, and exits 0; no client request fails.
 */
describe('graceful shutdown', () => {
  let platform: TestPlatform;
  let token: string;

  beforeAll(async () => {
    platform = await TestPlatform.start();
    token = await signedToken(anAdmin({ id: 'rolling' }), platform.state.jwtSecret, 600);
  }, 120_000);

  afterAll(() => platform?.stop());

  it.each(['kv-entry', 'secrets'] as const)(
    'loses no request when %s is replaced under load',
    async (service) => {
      const baseUrl = platform.state.gatewayUrl;
      const isSecretNamespace = service === 'secrets';
      const ns = (
        await call('POST', '/namespaces', {
          baseUrl,
          token,
          body: { name: `rolling-${service}`, applicationId: 'rolling', isSecretNamespace },
        })
      ).body.id;
      const replica = await platform.startReplica(service);
      const original = platform.processOf(service)!;

      let running = true;
      const workload = runWorkload(
        8,
        (worker, index) =>
          index % 2 === 0
            ? {
                method: 'PUT',
                path: `/${ns}/entries/w${worker}/${index % 6}`,
                options: { baseUrl, token, body: { value: `v${index}`, valueType: 'STRING' } },
              }
            : { method: 'GET', path: `/${ns}/entries/w${worker}/${(index - 1) % 6}`, options: { baseUrl, token } },
        () => !running,
      );
      let done;
      let stopSent = 0;
      let stopped = 0;
      try {
        await sleep(1000);
        stopSent = Date.now();
        await platform.stopOne(service);
        stopped = Date.now();
        await sleep(1500);
        running = false;
        done = await workload;
      } finally {
        running = false;
        // The platform gets its own instance back, so that the next test starts as this one did.
        await platform.startAgain(service);
        await stopService(replica);
      }

      expect(original.exitCode).toBe(0);
      // The load ran through the replacement (however fast the machine is): calls were in flight when the old
      // instance was told to stop, and went on after it had exited.
      expect(done.some((c) => c.startedAt < stopSent && c.endedAt > stopSent)).toBe(true);
      expect(done.some((c) => c.startedAt > stopped)).toBe(true);
      expect(
        done.filter((c) => c.status < 200 || c.status >= 300).map((c) => `${c.method} ${c.path} ${c.status} ${c.body?.code ?? ''}`),
      ).toEqual([]);
      expect(platform.unexpectedExits()).toEqual([]);
    },
    60_000,
  );
});
