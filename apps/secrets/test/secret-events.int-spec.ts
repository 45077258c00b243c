import { KV_EVENTS_EXCHANGE, KvEvent, ValueType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EventTap } from '../../../test/support/event-tap';
import { itEndsExpiredEntriesThatWritesRemove } from '../../../test/support/removed-entry-events';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { SecretExpirySweeper } from '../src/expiry/secret-expiry-sweeper.service';
import { SecretVersionsService } from '../src/versions/secret-versions.service';
import { anAdmin } from '../../../test/support/principals';
import { SecretsTestbed, createTestbed, secretNamespace } from './secrets-testing';

describe('secret events against Postgres and RabbitMQ', () => {
  let testbed: SecretsTestbed;
  let tap: EventTap;

  beforeAll(async () => {
    testbed = await createTestbed();
    tap = await EventTap.everything(testbed.broker.url);
  });

  afterAll(async () => {
    await tap?.close();
    await testbed?.close();
  });

  it('publishes an event and an audit record for every change of a secret, never its value', async () => {
    const entries = testbed.moduleRef.get(SecretEntriesService);
    const versions = testbed.moduleRef.get(SecretVersionsService);
    const ns = secretNamespace();
    const origin = { actorId: 'admin', requestId: 'req-s', clientAddress: '10.9.8.7' };
    const planted = 'planted-secret-5f1e';
    await entries.put(anAdmin(), ns, ns.id, 'db/password', { value: `${planted}-1`, valueType: ValueType.STRING }, origin);
    await entries.put(anAdmin(), ns, ns.id, 'db/password', { value: `${planted}-2`, valueType: ValueType.STRING }, origin);
    await versions.rotate(anAdmin(), ns, ns.id, 'db/password', { value: `${planted}-3` }, origin);
    await versions.rollback(anAdmin(), ns, ns.id, 'db/password', { version: 1 }, origin);
    await entries.bulkSet(anAdmin(), ns, ns.id, [{ key: 'b', value: `${planted}-4`, valueType: ValueType.STRING }], origin);
    await entries.bulkDelete(anAdmin(), ns, ns.id, ['b', 'missing'], origin);
    await entries.delete(anAdmin(), ns, ns.id, 'db/password', origin);
    await entries.put(anAdmin(), ns, ns.id, 'ttl', { value: planted, valueType: ValueType.STRING, ttlSeconds: 60 }, origin);
    await testbed.dataSource.query(`UPDATE secret_entry SET expires_at = now() - interval '1 second' WHERE key_path = 'ttl'`);
    await testbed.moduleRef.get(SecretExpirySweeper).sweep();

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
    expect(tap.auditRecords().map((record) => record.action)).toEqual(['WRITE', 'WRITE', 'ROTATE', 'ROLLBACK', 'WRITE', 'DELETE', 'DELETE', 'WRITE', 'EXPIRE']);
    expect(tap.messages.some(({ raw }) => raw.includes(planted))).toBe(false);
    const outbox = await testbed.dataSource.query('SELECT event::text AS text FROM outbox_event');
    expect(outbox.some((row: { text: string }) => row.text.includes(planted))).toBe(false);
  });

  itEndsExpiredEntriesThatWritesRemove(() => {
    const entries = testbed.moduleRef.get(SecretEntriesService);
    return {
      tap,
      dataSource: testbed.dataSource,
      entryTable: 'secret_entry',
      // A secret namespace is kv-entry's: the gateway hands its descriptor in, creating it here publishes nothing.
      createNamespace: async () => {
        const ns = secretNamespace();
        return {
          id: ns.id,
          eventsOfCreation: 0,
          put: (key, body, origin) => entries.put(anAdmin(), ns, ns.id, key, body, origin),
          bulkSet: (items, origin) => entries.bulkSet(anAdmin(), ns, ns.id, items, origin),
          bulkDelete: (keys, origin) => entries.bulkDelete(anAdmin(), ns, ns.id, keys, origin),
        };
      },
      sweep: () => testbed.moduleRef.get(SecretExpirySweeper).sweep(),
    };
  });
});
