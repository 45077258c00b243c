import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, KV_EVENTS_EXCHANGE, ValueType } from '@app/contracts';
import { RequestOutcomes } from '@app/entry-store';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { useEventTap } from '../../../test/support/event-tap';
import { EntriesService } from '../src/entries/entries.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { anAdmin } from '../../../test/support/principals';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
const str = (value: string) => ({ value, valueType: ValueType.STRING });

describe('kv-entry applies each call once', () => {
  const testbed = useKvEntryTestbed();
  const entries = providerOf(testbed, EntriesService);
  const namespaces = providerOf(testbed, NamespacesService);
  // Declared after the testbed: fixtures are torn down in reverse, the tap before the vhost it listens on.
  const tap = useEventTap(() => testbed.broker.url);
  let nsId: string;

  beforeEach(async () => {
    nsId = (await namespaces.create({ actor: anAdmin() }, { name: `ns-${randomUUID()}`, applicationId: 'billing' })).id;
  });

  /** A call as the gateway sends one: its own id, a deadline, and (for an HTTP caller's key) the key's digests. */
  const callOf = (extra: { key?: string; body?: string; deadline?: number } = {}) => ({
    actor: anAdmin(),
    namespaceId: nsId,
    requestId: `req-${randomUUID()}`,
    callId: randomUUID(),
    deadline: extra.deadline ?? Date.now() + 10_000,
    ...(extra.key === undefined ? {} : { idempotency: { key: digest(extra.key), fingerprint: digest(extra.body ?? 'body') } }),
  });
  const count = async (sql: string, parameters: unknown[] = []): Promise<number> => (await testbed.dataSource.query(sql, parameters))[0].n;
  /** The events published for `key` once the outbox is empty: the relay has published all that committed. */
  const eventsOf = async (key: string): Promise<number> => {
    const deadline = Date.now() + 10_000;
    while ((await count('SELECT count(*)::int AS n FROM outbox_event')) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // The broker delivers what it confirmed to the tap a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return tap.on(KV_EVENTS_EXCHANGE).filter(({ body }) => body.keyPath === key && body.namespaceId === nsId).length;
  };
  const versionOf = async (key: string) => (await entries.get({ actor: anAdmin(), namespaceId: nsId }, key)).version;

  it('answers a redelivered PUT with its first outcome: one version step, one event', async () => {
    const call = callOf();
    const first = await entries.put(call, 'a', str('one'));
    const again = await entries.put(call, 'a', str('one'));
    expect(first).toEqual({ entry: expect.objectContaining({ version: 1, value: 'one' }), created: true });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await versionOf('a')).toBe(1);
    expect(await eventsOf('a')).toBe(1);
  });

  it('answers a redelivered conditional PUT that succeeded with its success, not VERSION_CONFLICT', async () => {
    await entries.put(callOf(), 'c', str('v1'));
    const call = callOf();
    const first = await entries.put(call, 'c', { ...str('v2'), expectedVersion: 1 });
    await expect(entries.put(call, 'c', { ...str('v2'), expectedVersion: 1 })).resolves.toEqual({ ...first, replayed: true });
    expect(await versionOf('c')).toBe(2);
  });

  it('answers a redelivered conditional PUT that conflicted with the same conflict, marked as a replay', async () => {
    await entries.put(callOf(), 'c', str('v1'));
    const call = callOf();
    await expect(entries.put(call, 'c', { ...str('x'), expectedVersion: 5 })).rejects.toMatchObject({ code: ErrorCode.VERSION_CONFLICT });
    await expect(entries.put(call, 'c', { ...str('x'), expectedVersion: 5 })).rejects.toMatchObject({
      code: ErrorCode.VERSION_CONFLICT,
      replayed: true,
    });
  });

  it('applies a redelivered bulk set once and answers its items in request order', async () => {
    const call = callOf();
    const items = [
      { key: 'z', ...str('1') },
      { key: 'm', ...str('2') },
    ];
    const first = await entries.bulkSet(call, items);
    await expect(entries.bulkSet(call, items)).resolves.toEqual({ ...first, replayed: true });
    expect(await versionOf('z')).toBe(1);
    expect(await eventsOf('m')).toBe(1);
  });

  it('answers a redelivered DELETE with its success rather than ENTRY_NOT_FOUND', async () => {
    await entries.put(callOf(), 'd', str('x'));
    const call = callOf();
    await expect(entries.delete(call, 'd')).resolves.toEqual({ deleted: true });
    await expect(entries.delete(call, 'd')).resolves.toEqual({ deleted: true, replayed: true });
    expect(await eventsOf('d')).toBe(2);
  });

  it('answers a redelivered namespace delete with what it deleted, though the namespace is gone', async () => {
    const call = callOf();
    const first = await namespaces.delete(call);
    await expect(namespaces.delete(call)).resolves.toEqual({ ...first, replayed: true });
    expect(first.namespace).toMatchObject({ id: nsId, isSecretNamespace: false });
  });

  it('applies nothing for a call whose caller stopped waiting', async () => {
    await expect(entries.put(callOf({ deadline: Date.now() - 1 }), 'late', str('x'))).rejects.toMatchObject({
      code: ErrorCode.SERVICE_TIMEOUT,
    });
    await expect(entries.delete(callOf({ deadline: Date.now() - 1 }), 'late')).rejects.toMatchObject({ code: ErrorCode.SERVICE_TIMEOUT });
    expect(await eventsOf('late')).toBe(0);
  });

  it('sends nothing once the deadline passed while the statement waited for a connection, and keeps the connection', async () => {
    const insert = preparedStatement(
      'exactly_once_spec_insert',
      "INSERT INTO request_outcome (id, outcome, expires_at) VALUES ($1, '{}', now())",
    );
    const pool = (testbed.dataSource.driver as unknown as { master: { totalCount: number } }).master;
    const before = pool.totalCount;
    const id = `spec:${randomUUID()}`;
    await expect(
      queryPrepared(testbed.dataSource, insert, [id], {
        beforeQuery: () => {
          throw new Error('past its deadline');
        },
      }),
    ).rejects.toThrow('past its deadline');
    expect(await count('SELECT count(*)::int AS n FROM request_outcome WHERE id = $1', [id])).toBe(0);
    expect(pool.totalCount).toBe(before);
  });

  describe('with an idempotency key', () => {
    it('answers a retry (a new call with the same key and request) with the first outcome', async () => {
      const key = randomUUID();
      const first = await entries.put(callOf({ key }), 'k', str('one'));
      await expect(entries.put(callOf({ key }), 'k', str('one'))).resolves.toEqual({ ...first, replayed: true });
      expect(await versionOf('k')).toBe(1);
    });

    it('refuses the key with another request, IDEMPOTENCY_KEY_REUSED, and applies nothing', async () => {
      const key = randomUUID();
      await entries.put(callOf({ key, body: 'first' }), 'k', str('one'));
      await expect(entries.put(callOf({ key, body: 'second' }), 'k', str('two'))).rejects.toMatchObject({
        code: ErrorCode.IDEMPOTENCY_KEY_REUSED,
      });
      expect(await versionOf('k')).toBe(1);
    });

    it('answers IDEMPOTENCY_KEY_IN_PROGRESS while another call holds the key, and lets a retry in once its deadline passed', async () => {
      const key = randomUUID();
      const outcomes = testbed.moduleRef.get(RequestOutcomes);
      const holder = callOf({ key, deadline: Date.now() + 60_000 });
      await expect(outcomes.claim({ ...holder, idempotency: holder.idempotency! })).resolves.toEqual({ proceed: true });
      await expect(entries.put(callOf({ key }), 'k', str('one'))).rejects.toMatchObject({ code: ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS });
      await testbed.dataSource.query(`UPDATE idempotency_key SET lease_until = now() - interval '1 second' WHERE key = $1`, [digest(key)]);
      await expect(entries.put(callOf({ key }), 'k', str('one'))).resolves.toMatchObject({ created: true });
    });

    it('keeps a domain error as the key’s outcome: a retry answers it again even once the state would allow the change', async () => {
      const key = randomUUID();
      await expect(entries.delete(callOf({ key }), 'absent')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND });
      await entries.put(callOf(), 'absent', str('now here'));
      await expect(entries.delete(callOf({ key }), 'absent')).rejects.toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND, replayed: true });
      expect(await versionOf('absent')).toBe(1);
    });

    it('forgets a key once its window passed: the key then starts afresh, whatever request it comes with', async () => {
      const key = randomUUID();
      await entries.put(callOf({ key, body: 'first' }), 'w', str('one'));
      await testbed.dataSource.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [digest(key)]);
      await testbed.dataSource.query(`UPDATE request_outcome SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        `key:${digest(key)}`,
      ]);
      await expect(entries.put(callOf({ key, body: 'second' }), 'w', str('two'))).resolves.toMatchObject({ entry: { version: 2 } });
      await expect(testbed.moduleRef.get(RequestOutcomes).prune()).resolves.toBe(0);
    });
  });

  it('never answers a key past its window with an outcome stored later than the key (a late commit of its first request)', async () => {
    const key = randomUUID();
    await entries.put(callOf({ key, body: 'first' }), 'late', str('one'));
    // The key's window is over while its outcome, committed later than the key's first claim, would still live.
    await testbed.dataSource.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [digest(key)]);
    await expect(entries.put(callOf({ key, body: 'second' }), 'late', str('two'))).resolves.toMatchObject({
      entry: { version: 2, value: 'two' },
    });
  });

  it('prunes outcomes past their retention', async () => {
    await entries.put(callOf(), 'p', str('x'));
    await testbed.dataSource.query(`UPDATE request_outcome SET expires_at = now() - interval '1 second'`);
    await testbed.dataSource.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second'`);
    expect(await testbed.moduleRef.get(RequestOutcomes).prune()).toBeGreaterThan(0);
    expect(await count('SELECT count(*)::int AS n FROM request_outcome')).toBe(0);
  });
});
