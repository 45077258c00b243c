import { KV_EVENTS_EXCHANGE, KvEvent, KvEventType, ValueType } from '@app/contracts';
import { ChangeOrigin, expiredEvent } from '@app/entry-store';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { useEventTap } from '../../../test/support/event-tap';
import { itEndsExpiredEntriesThatWritesRemove } from '../../../test/support/removed-entry-events';
import { providerOf } from '../../../test/support/service-testbed';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { SecretExpirySweeper } from '../src/expiry/secret-expiry-sweeper.service';
import { SecretVersionsService } from '../src/versions/secret-versions.service';
import { callIn, secretNamespace, useSecretsTestbed } from './secrets-testing';
import { anAdmin } from '../../../test/support/principals';

describe('secret events against Postgres and RabbitMQ', () => {
  const testbed = useSecretsTestbed();
  const entries = providerOf(testbed, SecretEntriesService);
  const sweeper = providerOf(testbed, SecretExpirySweeper);
  const tap = useEventTap(() => testbed.broker.url);

  it('publishes an event and an audit record for every change of a secret, never its value', async () => {
    const versions = testbed.moduleRef.get(SecretVersionsService);
    const ns = secretNamespace();
    const call = callIn(ns, { requestId: 'req-s', clientAddress: '10.9.8.7' });
    const planted = 'planted-secret-5f1e';
    await entries.put(call, 'db/password', { value: `${planted}-1`, valueType: ValueType.STRING });
    await entries.put(call, 'db/password', { value: `${planted}-2`, valueType: ValueType.STRING });
    await versions.rotate(call, 'db/password', { value: `${planted}-3` });
    await versions.rollback(call, 'db/password', { version: 1 });
    await entries.bulkSet(call, [{ key: 'b', value: `${planted}-4`, valueType: ValueType.STRING }]);
    await entries.bulkDelete(call, ['b', 'missing']);
    await entries.delete(call, 'db/password');
    await entries.put(call, 'ttl', { value: planted, valueType: ValueType.STRING, ttlSeconds: 60 });
    await testbed.dataSource.query(`UPDATE secret_entry SET expires_at = now() - interval '1 second' WHERE key_path = 'ttl'`);
    await sweeper.sweep();

    const expected = [
      ['kv.entry.created', 'db/password', 1, 'admin'],
      ['kv.entry.updated', 'db/password', 2, 'admin'],
      ['kv.secret.rotated', 'db/password', 3, 'admin'],
      ['kv.secret.rolled_back', 'db/password', 4, 'admin'],
      ['kv.entry.created', 'b', 1, 'admin'],
      ['kv.entry.deleted', 'b', 1, 'admin'],
      ['kv.entry.deleted', 'db/password', 4, 'admin'],
      ['kv.entry.created', 'ttl', 1, 'admin'],
      ['kv.entry.expired', 'ttl', 1, 'system'],
    ];
    await tap.waitFor(() => tap.auditRecords().length >= expected.length);
    const events = tap.on(KV_EVENTS_EXCHANGE);
    expect(events.map(({ body }) => [body.type, body.keyPath, body.version, body.actor])).toEqual(expected);
    for (const { body } of events) {
      expect(validateSync(plainToInstance(KvEvent, body))).toEqual([]);
      expect(body).toMatchObject({ applicationId: ns.applicationId, namespaceId: ns.id });
    }
    expect(tap.auditRecords().map((record) => record.action)).toEqual([
      'WRITE',
      'WRITE',
      'ROTATE',
      'ROLLBACK',
      'WRITE',
      'DELETE',
      'DELETE',
      'WRITE',
      'EXPIRE',
    ]);
    expect(tap.messages.some(({ raw }) => raw.includes(planted))).toBe(false);
    const outbox = await testbed.dataSource.query('SELECT event::text AS text FROM outbox_event');
    expect(outbox.some((row: { text: string }) => row.text.includes(planted))).toBe(false);
  });

  it("publishes the sweep's kv.entry.expired, byte for byte, as expiredEvent makes it of the same entry at the same time", async () => {
    const ns = secretNamespace();
    const { entry } = await entries.put(callIn(ns), 'ttl', { value: 'x', valueType: ValueType.STRING, ttlSeconds: 60 });
    await testbed.dataSource.query(`UPDATE secret_entry SET expires_at = now() - interval '1 second' WHERE namespace_id = $1`, [ns.id]);
    await expect(sweeper.sweep()).resolves.toBe(1);

    const isExpiry = (body: Record<string, unknown>) => body.type === KvEventType.ENTRY_EXPIRED && body.namespaceId === ns.id;
    await tap.waitFor((messages) => messages.some(({ body }) => isExpiry(body)));
    const published = tap.on(KV_EVENTS_EXCHANGE).find(({ body }) => isExpiry(body))!;
    const facts = { applicationId: ns.applicationId, namespaceId: ns.id, entryId: entry.id, keyPath: 'ttl', version: 1 };
    const expected = { ...expiredEvent(facts, new Date(published.body.occurredAt as string)), id: published.body.id as string };
    // As the relay publishes an event: the outbox's jsonb, serialized.
    const rows: Array<{ event: KvEvent }> = await testbed.dataSource.query('SELECT $1::jsonb AS event', [JSON.stringify(expected)]);
    expect(published.raw).toBe(JSON.stringify(rows[0]!.event));
  });

  itEndsExpiredEntriesThatWritesRemove(() => ({
    tap,
    dataSource: testbed.dataSource,
    entryTable: 'secret_entry',
    // A secret namespace is kv-entry's: the gateway hands its descriptor in, so creating it here publishes nothing.
    createNamespace: async () => {
      const ns = secretNamespace();
      const callOf = ({ actorId, requestId, clientAddress }: ChangeOrigin) =>
        callIn(ns, { requestId, clientAddress }, anAdmin({ id: actorId }));
      return {
        id: ns.id,
        eventsOfCreation: 0,
        put: (key, body, origin) => entries.put(callOf(origin), key, body),
        bulkSet: (items, origin) => entries.bulkSet(callOf(origin), items),
        bulkDelete: (keys, origin) => entries.bulkDelete(callOf(origin), keys),
      };
    },
    sweep: () => sweeper.sweep(),
  }));
});
