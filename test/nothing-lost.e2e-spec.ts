import { EventTap } from './support/event-tap';
import { TEST_QUEUE_TYPES, brokerQueues, deleteBrokerQueue, queueDepth } from './support/rabbitmq-vhost';
import { queryDatabase } from './support/scratch-database';
import { settled } from './support/settled';
import { TcpProxy } from './support/tcp-proxy';
import { TestPlatform } from './support/test-platform';
import { WorkloadCall, acknowledged, eventually, runWorkload, sleep } from './support/workload';
import { call } from './support/api';
import { anAdmin, signedToken } from './support/principals';

interface AuditRow {
  id: string;
  action: string;
  success: boolean;
  request_id: string | null;
  entry_id: string | null;
}

/**
 * The faults the outbox and the audit trail exist for. Each test runs writes (and secret reads) through
 * the gateway while a fault happens, then checks, for every call the client saw succeed: the change is in
 * its service's database, it produced exactly one event on kv.events (deliveries are deduplicated by id,
 * as consumers are told to) and exactly one audit record; and the audit chain verifies.
 */
describe('nothing lost', () => {
  let platform: TestPlatform;
  let proxy: TcpProxy;
  let tap: EventTap;
  let token: string;
  const baseUrl = () => platform.state.gatewayUrl;

  beforeAll(async () => {
    proxy = await TcpProxy.start('127.0.0.1', 5672);
    platform = await TestPlatform.start({}, (state) => {
      const url = new URL(state.rabbitmqUrl);
      url.port = String(proxy.port);
      const viaProxy = { KV_RABBITMQ_URL: url.toString() };
      return { 'kv-entry': viaProxy, secrets: viaProxy, audit: viaProxy };
    });
    tap = await EventTap.start(platform.state.rabbitmqUrl, [{ exchange: 'kv.events', pattern: '#' }]);
    token = await signedToken(anAdmin({ id: 'fault-tester' }), platform.state.jwtSecret, 600);
  }, 120_000);

  afterAll(async () => {
    await tap?.close();
    await platform?.stop();
    await proxy?.close();
  });

  const createNamespace = async (name: string, isSecretNamespace: boolean): Promise<string> =>
    (await call('POST', '/namespaces', { baseUrl: baseUrl(), token, body: { name, applicationId: 'faults', isSecretNamespace } })).body
      .id as string;

  async function expectNothingLost(calls: WorkloadCall[], namespaces: { plain: string; secret: string }): Promise<void> {
    expect(platform.unexpectedExits()).toEqual([]);
    // Every committed change's event and audit record are out.
    expect(await settled(platform.state)).toBe(true);
    const { databaseUrls } = platform.state;
    const writes = acknowledged(calls).filter((c) => c.method === 'PUT');
    const reads = acknowledged(calls).filter((c) => c.method === 'GET');
    expect(writes.length).toBeGreaterThan(20);

    // In the database, at the version the client was told (or later).
    const plainRows = await queryDatabase<{ id: string; version: number }>(
      databaseUrls['kv-entry']!,
      'SELECT id, version FROM entry WHERE namespace_id = $1',
      [namespaces.plain],
    );
    const secretRows = await queryDatabase<{ id: string; version: number }>(
      databaseUrls.secrets!,
      'SELECT id, version FROM secret_entry WHERE namespace_id = $1',
      [namespaces.secret],
    );
    const stored = new Map([...plainRows, ...secretRows].map((row) => [row.id, row.version]));
    const missing = writes.filter((write) => (stored.get(write.body.id) ?? 0) < write.body.version);
    expect(missing.map((write) => write.path)).toEqual([]);

    // Each entry's events arrive in version order (a redelivery repeats an id, which consumers skip).
    const versionsByEntry = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const { body } of tap.messages) {
      if (seen.has(body.id as string) || body.entryId === null) continue;
      seen.add(body.id as string);
      versionsByEntry.set(body.entryId as string, [...(versionsByEntry.get(body.entryId as string) ?? []), body.version as number]);
    }
    const outOfOrder = [...versionsByEntry].filter(([, versions]) =>
      versions.some((version, index) => index > 0 && version <= versions[index - 1]!),
    );
    expect(outOfOrder).toEqual([]);

    // Exactly one event (by id) per acknowledged write.
    const eventIds = new Map<string, Set<string>>();
    for (const { body } of tap.messages) {
      const key = `${body.entryId}@${body.version}`;
      eventIds.set(key, (eventIds.get(key) ?? new Set()).add(body.id as string));
    }
    const eventCounts = writes.map((write) => eventIds.get(`${write.body.id}@${write.body.version}`)?.size ?? 0);
    expect(eventCounts.filter((count) => count !== 1)).toEqual([]);

    // Exactly one successful audit record per acknowledged write and per acknowledged secret read.
    const records = await queryDatabase<AuditRow>(
      databaseUrls.audit!,
      'SELECT id, action, success, request_id, entry_id FROM audit_record WHERE success',
    );
    const byRequest = new Map<string, AuditRow[]>();
    for (const record of records)
      if (record.request_id) byRequest.set(record.request_id, [...(byRequest.get(record.request_id) ?? []), record]);
    const writeRecordCounts = writes.map(
      (write) => (byRequest.get(write.requestId) ?? []).filter((record) => record.action === 'WRITE').length,
    );
    expect(writeRecordCounts.filter((count) => count !== 1)).toEqual([]);
    const readRecordCounts = reads.map((read) => (byRequest.get(read.requestId) ?? []).filter((record) => record.action === 'READ').length);
    expect(readRecordCounts.filter((count) => count !== 1)).toEqual([]);

    const verified = await call('GET', '/audit/verify', { baseUrl: baseUrl(), token });
    expect(verified.body).toMatchObject({ ok: true, firstBrokenSequence: null });
  }

  /**
   * Until `stop()`: three writers on a plain namespace and three on a secret one, each cycling over four
   * keys so that every entry gets many versions; two of the secret writers read back between writes.
   */
  function workload(namespaces: { plain: string; secret: string }, label: string, stop: () => boolean): Promise<WorkloadCall[]> {
    const KEYS_PER_WORKER = 4;
    return runWorkload(
      6,
      (worker, index) => {
        const namespace = worker < 3 ? namespaces.plain : namespaces.secret;
        const key = (i: number) => `${label}/w${worker}/${i % KEYS_PER_WORKER}`;
        if (worker >= 4 && index % 2 === 1)
          return { method: 'GET', path: `/${namespace}/entries/${key(index - 1)}`, options: { baseUrl: baseUrl(), token } };
        return {
          method: 'PUT',
          path: `/${namespace}/entries/${key(index)}`,
          options: { baseUrl: baseUrl(), token, body: { value: `${label}-${worker}-${index}`, valueType: 'STRING' } },
        };
      },
      stop,
    );
  }

  it('loses nothing acknowledged while the services are cut off from RabbitMQ', async () => {
    const namespaces = { plain: await createNamespace('cut-plain', false), secret: await createNamespace('cut-secret', true) };
    let running = true;
    const calls = workload(namespaces, 'cut', () => !running);
    await sleep(1500);
    proxy.cut();
    await sleep(4000);
    proxy.restore();
    await sleep(3000);
    running = false;
    const done = await calls;
    expect(done.some((c) => c.status === 503)).toBe(true);
    await expectNothingLost(done, namespaces);
  }, 120_000);

  it('loses nothing acknowledged when the audit service is killed mid-stream and restarted', async () => {
    const namespaces = { plain: await createNamespace('kill-plain', false), secret: await createNamespace('kill-secret', true) };
    let running = true;
    const calls = workload(namespaces, 'kill', () => !running);
    await sleep(1500);
    await platform.killOne('audit');
    await sleep(2000);
    await platform.startAgain('audit');
    await sleep(2000);
    running = false;
    await expectNothingLost(await calls, namespaces);
  }, 120_000);

  // Last: the platform runs with the other queue types from here on.
  it("loses nothing when its queues change type by the operations guide's maintenance window", async () => {
    const namespaces = { plain: await createNamespace('switch-plain', false), secret: await createNamespace('switch-secret', true) };
    const other = TEST_QUEUE_TYPES.KV_RABBITMQ_QUEUE_TYPE === 'quorum' ? 'classic' : 'quorum';
    const { rabbitmqUrl } = platform.state;
    const writeFor = async (label: string, ms: number): Promise<WorkloadCall[]> => {
      let running = true;
      const calls = workload(namespaces, label, () => !running);
      await sleep(ms);
      running = false;
      return calls;
    };
    const before = await writeFor('before', 2000);

    await platform.stopOne('gateway');
    await platform.stopOne('kv-entry');
    await platform.stopOne('secrets');
    expect(await eventually(async () => queueDepth(rabbitmqUrl, 'audit.records') === 0, 30_000, 500)).toBe(true);
    await platform.stopOne('audit');
    for (const queue of ['audit.records', 'audit.records.dead-letter', 'kv-entry', 'secrets', 'audit'])
      deleteBrokerQueue(rabbitmqUrl, queue);
    for (const name of ['audit', 'kv-entry', 'secrets', 'gateway'] as const)
      await platform.startAgain(name, { KV_RABBITMQ_QUEUE_TYPE: other, KV_RABBITMQ_REQUEST_QUEUE_TYPE: other });

    await expectNothingLost([...before, ...(await writeFor('after', 2000))], namespaces);
    const types = Object.fromEntries(brokerQueues(rabbitmqUrl).map((queue) => [queue.name, queue.type]));
    expect(types).toMatchObject({
      'audit.records': other,
      'audit.records.dead-letter': other,
      'kv-entry': other,
      secrets: other,
      audit: other,
    });
  }, 120_000);
});
