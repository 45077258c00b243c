import { connect } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EntryPattern, ServiceQueue } from '@app/contracts';
import { idempotencyOf } from '../apps/gateway/src/idempotency/idempotency-key';
import { ApiResponse, call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { queryDatabase } from './support/scratch-database';
import { eventually } from './support/workload';
import { anAdmin, anAuditor, messageMeta } from './support/principals';

const PLANTED = 'planted-idem-7c41e9b0';

/** `Idempotency-Key` end to end: every write route, in plain and secret namespaces, through the gateway. */
describe('Idempotency-Key', () => {
  let admin: string;
  let auditor: string;

  beforeAll(async () => {
    admin = await tokenFor(anAdmin({ id: 'idem-admin' }));
    auditor = await tokenFor(anAuditor());
  });

  const withKey = (key: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': key, ...extra });
  const send = (method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(method, path, { token: admin, body, headers: withKey(key, headers) });

  /** The same request twice with one key: the second answers the first outcome, status and body, marked as a replay. */
  async function expectReplayed(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const key = `"${randomUUID()}"`;
    const first = await send(method, path, key, body);
    expect(first.status).toBeLessThan(300);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send(method, path, key, body);
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    return first;
  }

  const versionOf = async (ns: string, key: string): Promise<number> =>
    (await call('GET', `/${ns}/entries/${key}`, { token: admin })).body.version;

  describe.each([
    ['plain', false],
    ['secret', true],
  ])('in a %s namespace', (_kind, isSecretNamespace) => {
    let ns: string;
    // Only secrets must stay out of the tables: a plain value is stored as it is.
    const value = isSecretNamespace ? PLANTED : 'plain-value';

    beforeAll(async () => {
      ns = (await createNamespace(admin, { isSecretNamespace })).id;
    });

    it('replays PUT, bulk set, DELETE and bulk delete, and applies each once', async () => {
      const put = await expectReplayed('PUT', `/${ns}/entries/db/password`, { value, valueType: 'STRING' });
      expect(put.status).toBe(201);
      expect(await versionOf(ns, 'db/password')).toBe(1);

      await expectReplayed('POST', `/${ns}/bulk/set`, { entries: [{ key: 'b/1', value, valueType: 'STRING' }] });
      expect(await versionOf(ns, 'b/1')).toBe(1);

      const conditional = await expectReplayed('PUT', `/${ns}/entries/db/password`, {
        value: `${value}-2`,
        valueType: 'STRING',
        expectedVersion: 1,
      });
      expect(conditional.status).toBe(200);
      expect(await versionOf(ns, 'db/password')).toBe(2);

      expect((await expectReplayed('DELETE', `/${ns}/entries/db/password`)).status).toBe(204);
      const bulkDelete = await expectReplayed('POST', `/${ns}/bulk/delete`, { keys: ['b/1', 'b/never'] });
      expect(bulkDelete.body).toEqual({ deleted: ['b/1'], missing: ['b/never'] });
    });

    it('answers the key with another body 422 IDEMPOTENCY_KEY_REUSED, and applies nothing', async () => {
      const key = randomUUID();
      expect((await send('PUT', `/${ns}/entries/reused`, key, { value: 'one', valueType: 'STRING' })).status).toBe(201);
      const reused = await send('PUT', `/${ns}/entries/reused`, key, { value: 'two', valueType: 'STRING' });
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', code: 'IDEMPOTENCY_KEY_REUSED' });
      const otherRoute = await send('PUT', `/${ns}/entries/elsewhere`, key, { value: 'one', valueType: 'STRING' });
      expect(otherRoute.status).toBe(422);
      expect((await call('GET', `/${ns}/entries/reused`, { token: admin })).body).toMatchObject({ value: 'one', version: 1 });
      expect((await call('GET', `/${ns}/entries/elsewhere`, { token: admin })).status).toBe(404);
    });

    it('answers a key sent again with another body 422 on every entry write route, applying nothing the second time', async () => {
      await call('PUT', `/${ns}/entries/r/a`, { token: admin, body: { value: 'v', valueType: 'STRING' } });
      await call('PUT', `/${ns}/entries/r/b`, { token: admin, body: { value: 'v', valueType: 'STRING' } });
      const routes: Array<[string, string, unknown, unknown]> = [
        ['PUT', `/${ns}/entries/r/a`, { value: 'one', valueType: 'STRING' }, { value: 'two', valueType: 'STRING' }],
        [
          'POST',
          `/${ns}/bulk/set`,
          { entries: [{ key: 'r/c', value: 'one', valueType: 'STRING' }] },
          { entries: [{ key: 'r/c', value: 'two', valueType: 'STRING' }] },
        ],
        ['POST', `/${ns}/bulk/delete`, { keys: ['r/none'] }, { keys: ['r/b'] }],
        ['DELETE', `/${ns}/entries/r/none`, undefined, undefined],
      ];
      for (const [method, path, body, otherBody] of routes) {
        const key = randomUUID();
        await send(method, path, key, body);
        // DELETE has no body: the same key on another URL is the other request.
        const other = method === 'DELETE' ? await send(method, `/${ns}/entries/r/b`, key) : await send(method, path, key, otherBody);
        expect({ method, path, status: other.status, code: other.body.code }).toEqual({
          method,
          path,
          status: 422,
          code: 'IDEMPOTENCY_KEY_REUSED',
        });
      }
      expect((await call('GET', `/${ns}/entries/r/a`, { token: admin })).body).toMatchObject({ value: 'one', version: 2 });
      expect((await call('GET', `/${ns}/entries/r/c`, { token: admin })).body).toMatchObject({ value: 'one', version: 1 });
      expect((await call('GET', `/${ns}/entries/r/b`, { token: admin })).status).toBe(200);
    });

    it('answers a failed first request again: the same 409, marked as a replay', async () => {
      const key = randomUUID();
      const body = { value: 'x', valueType: 'STRING', expectedVersion: 7 };
      const first = await send('PUT', `/${ns}/entries/conflicted`, key, body);
      expect(first.status).toBe(409);
      const again = await send('PUT', `/${ns}/entries/conflicted`, key, body);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });
  });

  describe('in a secret namespace', () => {
    let ns: string;

    beforeAll(async () => {
      ns = (await createNamespace(admin, { isSecretNamespace: true })).id;
      await call('PUT', `/${ns}/entries/api/token`, { token: admin, body: { value: 'first', valueType: 'STRING' } });
    });

    it('answers a retried rotation with the value it generated, rotating once, and audits the replay as a READ', async () => {
      const requestId = randomUUID();
      const key = randomUUID();
      const rotated = await send('POST', `/${ns}/entries/api/token/rotate`, key, { length: 32 });
      const again = await send('POST', `/${ns}/entries/api/token/rotate`, key, { length: 32 }, { 'x-request-id': requestId });
      expect(rotated.status).toBe(200);
      expect(again.body).toEqual(rotated.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await versionOf(ns, 'api/token')).toBe(2);
      const records = async () =>
        ((await call('GET', `/audit?namespaceId=${ns}&limit=200`, { token: auditor })).body.items as Array<Record<string, unknown>>).filter(
          (record) => record.requestId === requestId,
        );
      expect(await eventually(async () => (await records()).length === 1, 10_000)).toBe(true);
      expect((await records())[0]).toMatchObject({ action: 'READ', success: true, keyPath: 'api/token' });
    });

    it('answers a key sent again with another body 422 on rotate and rollback, rotating once', async () => {
      const rotateKey = randomUUID();
      expect((await send('POST', `/${ns}/entries/api/token/rotate`, rotateKey, { length: 20 })).status).toBe(200);
      const before = await versionOf(ns, 'api/token');
      const rotateAgain = await send('POST', `/${ns}/entries/api/token/rotate`, rotateKey, { length: 24 });
      expect({ status: rotateAgain.status, code: rotateAgain.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      const rollbackKey = randomUUID();
      expect((await send('POST', `/${ns}/entries/api/token/rollback`, rollbackKey, { version: 1 })).status).toBe(200);
      const rollbackAgain = await send('POST', `/${ns}/entries/api/token/rollback`, rollbackKey, { version: 2 });
      expect({ status: rollbackAgain.status, code: rollbackAgain.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await versionOf(ns, 'api/token')).toBe(before + 1);
    });

    it('replays a rollback', async () => {
      await expectReplayed('POST', `/${ns}/entries/api/token/rollback`, { version: 1 });
      expect((await call('GET', `/${ns}/entries/api/token`, { token: admin })).body).toMatchObject({ value: 'first' });
    });

    it('keeps no planted value in any table of any service, idempotency records included', () => {
      const dumps = Object.entries(platformState().databaseUrls).map(([service, url]) => ({
        service,
        dump: execFileSync('pg_dump', ['--data-only', url], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8'),
      }));
      expect(dumps.find((item) => item.service === 'secrets')?.dump).toContain('request_outcome');
      for (const form of [PLANTED, Buffer.from(PLANTED).toString('base64'), Buffer.from(PLANTED).toString('hex')]) {
        for (const { service, dump } of dumps) expect({ service, leaked: dump.includes(form) }).toEqual({ service, leaked: false });
      }
    });
  });

  describe('namespaces', () => {
    it('replays create and update, and a delete of a secret namespace (which purges again)', async () => {
      const body = { name: uniqueName('idem'), applicationId: uniqueName('app'), isSecretNamespace: true };
      const created = await expectReplayed('POST', '/namespaces', body);
      expect(created.status).toBe(201);
      const ns = created.body.id as string;
      await expectReplayed('PUT', `/namespaces/${ns}`, { ...body, description: 'updated' });
      await call('PUT', `/${ns}/entries/s`, { token: admin, body: { value: 'x', valueType: 'STRING' } });
      expect((await expectReplayed('DELETE', `/namespaces/${ns}`)).status).toBe(204);
      expect((await call('GET', `/namespaces/${ns}`, { token: admin })).status).toBe(404);
    });

    it('answers a key sent again with another body 422 on namespace create, update and delete', async () => {
      const body = { name: uniqueName('reuse'), applicationId: uniqueName('app') };
      const createKey = randomUUID();
      const created = await send('POST', '/namespaces', createKey, body);
      expect(created.status).toBe(201);
      const ns = created.body.id as string;
      expect((await send('POST', '/namespaces', createKey, { ...body, name: uniqueName('other') })).status).toBe(422);
      const updateKey = randomUUID();
      expect((await send('PUT', `/namespaces/${ns}`, updateKey, { ...body, description: 'one' })).status).toBe(200);
      expect((await send('PUT', `/namespaces/${ns}`, updateKey, { ...body, description: 'two' })).status).toBe(422);
      const other = (await createNamespace(admin)).id;
      const deleteKey = randomUUID();
      expect((await send('DELETE', `/namespaces/${other}`, deleteKey)).status).toBe(204);
      expect((await send('DELETE', `/namespaces/${ns}`, deleteKey)).status).toBe(422);
      expect((await call('GET', `/namespaces/${ns}`, { token: admin })).body).toMatchObject({ description: 'one' });
    });
  });

  it.each([
    ['an empty key', '""'],
    ['a key with a space', 'two words'],
    ['a key longer than 255 characters', 'k'.repeat(256)],
    ['an unterminated quote', '"abc'],
  ])('refuses %s: 400 INVALID_IDEMPOTENCY_KEY, nothing applied', async (_case, key) => {
    const ns = (await createNamespace(admin)).id;
    const refused = await send('PUT', `/${ns}/entries/k`, key, { value: 'x', valueType: 'STRING' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'INVALID_IDEMPOTENCY_KEY' });
    expect((await call('GET', `/${ns}/entries/k`, { token: admin })).status).toBe(404);
  });

  describe('a key whose first request is still being applied, and a key past its window', () => {
    const kvEntryDatabase = () => platformState().databaseUrls['kv-entry']!;
    /** The digest the gateway stores a key of the suite's admin under. */
    const digestOf = (key: string) =>
      idempotencyOf({ headers: { 'idempotency-key': key }, method: 'PUT', url: '/', body: null }, 'idem-admin')!.key;
    /** Makes the key's first request look unfinished: its outcome not yet committed, its lease held by another call until `leaseSql`. */
    const unfinish = async (key: string, leaseSql: string) => {
      await queryDatabase(
        kvEntryDatabase(),
        `UPDATE idempotency_key SET call_id = gen_random_uuid(), lease_until = ${leaseSql} WHERE key = $1`,
        [digestOf(key)],
      );
      await queryDatabase(kvEntryDatabase(), 'DELETE FROM request_outcome WHERE id = $1', [`key:${digestOf(key)}`]);
    };

    it('answers 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After while another call holds the key, and applies it once the lease passed', async () => {
      const ns = (await createNamespace(admin)).id;
      const key = randomUUID();
      const body = { value: 'x', valueType: 'STRING' };
      expect((await send('PUT', `/${ns}/entries/held`, key, body)).status).toBe(201);
      await unfinish(key, `now() + interval '1 minute'`);
      const held = await send('PUT', `/${ns}/entries/held`, key, body);
      expect({ status: held.status, code: held.body.code, retryAfter: held.headers.get('retry-after') }).toEqual({
        status: 409,
        code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
        retryAfter: '1',
      });
      await unfinish(key, `now() - interval '1 second'`);
      const taken = await send('PUT', `/${ns}/entries/held`, key, body);
      expect({ status: taken.status, replayed: taken.headers.get('idempotent-replayed') }).toEqual({ status: 200, replayed: null });
      expect(await versionOf(ns, 'held')).toBe(2);
    });

    it('starts a key afresh once its window has passed, whatever request it comes with', async () => {
      const ns = (await createNamespace(admin)).id;
      const key = randomUUID();
      expect((await send('PUT', `/${ns}/entries/w`, key, { value: 'one', valueType: 'STRING' })).status).toBe(201);
      await queryDatabase(kvEntryDatabase(), `UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [
        digestOf(key),
      ]);
      await queryDatabase(kvEntryDatabase(), `UPDATE request_outcome SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        `key:${digestOf(key)}`,
      ]);
      const fresh = await send('PUT', `/${ns}/entries/w`, key, { value: 'two', valueType: 'STRING' });
      expect({ status: fresh.status, replayed: fresh.headers.get('idempotent-replayed') }).toEqual({ status: 200, replayed: null });
      expect((await call('GET', `/${ns}/entries/w`, { token: admin })).body).toMatchObject({ value: 'two', version: 2 });
    });
  });

  it('takes the quoted and the bare form of a key as the same key', async () => {
    const ns = (await createNamespace(admin)).id;
    const key = randomUUID();
    await send('PUT', `/${ns}/entries/k`, key, { value: 'x', valueType: 'STRING' });
    const again = await send('PUT', `/${ns}/entries/k`, `"${key}"`, { value: 'x', valueType: 'STRING' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('scopes a key to its principal: another caller with the same key is applied on its own', async () => {
    const ns = (await createNamespace(admin)).id;
    const other = await tokenFor(anAdmin({ id: 'idem-other' }));
    const key = randomUUID();
    await send('PUT', `/${ns}/entries/k`, key, { value: 'x', valueType: 'STRING' });
    const theirs = await call('PUT', `/${ns}/entries/k`, {
      token: other,
      body: { value: 'x', valueType: 'STRING' },
      headers: withKey(key),
    });
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await versionOf(ns, 'k')).toBe(2);
  });

  it('does not apply a request that reaches its service after its deadline (held in the queue or the prefetch)', async () => {
    const ns = (await createNamespace(admin)).id;
    const connection = await connect(platformState().rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      const replies: Array<{ error?: { code?: string } }> = [];
      await channel.consume('amq.rabbitmq.reply-to', (message) => message && replies.push(JSON.parse(message.content.toString())), {
        noAck: true,
      });
      const request = {
        ...messageMeta(anAdmin({ id: 'idem-admin' }), `late-${randomUUID()}`),
        callId: randomUUID(),
        deadline: Date.now() - 1_000,
        namespaceId: ns,
        key: 'late',
        body: { value: 'x', valueType: 'STRING' },
      };
      // The gateway's wire format (libs/service-kit rpc-wire.ts): the pattern in the message's type, the payload as JSON.
      channel.sendToQueue(ServiceQueue.KV_ENTRY, Buffer.from(JSON.stringify(request)), {
        type: EntryPattern.PUT,
        replyTo: 'amq.rabbitmq.reply-to',
        correlationId: randomUUID(),
      });
      expect(await eventually(async () => replies.length === 1, 10_000)).toBe(true);
      expect(replies[0]!.error).toMatchObject({ code: 'SERVICE_TIMEOUT' });
      expect((await call('GET', `/${ns}/entries/late`, { token: admin })).status).toBe(404);
    } finally {
      await connection.close();
    }
  });
});
