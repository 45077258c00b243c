import { AuditRecordMessage, ErrorCode, KV_AUDIT_EXCHANGE, KV_EVENTS_EXCHANGE, KvEvent, ValueType } from '@app/contracts';
import type { ChangeOrigin } from '@app/entry-store';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { useEventTap } from '../../../test/support/event-tap';
import { useFixture } from '../../../test/support/fixture';
import { itEndsExpiredEntriesThatWritesRemove } from '../../../test/support/removed-entry-events';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { EntriesService } from '../src/entries/entries.service';
import { EntryExpirySweeper } from '../src/expiry/expiry-sweeper.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { KvEntryTestbed, useKvEntryTestbed } from './kv-entry-testing';
import { anAdmin } from '../../../test/support/principals';

/** The calls of the admin through one gateway request. */
const request = { actor: anAdmin(), requestId: 'req-outbox', clientAddress: '10.1.2.3' };
/** The admin's call through the request an origin of the shared scenario names (its actor is the admin). */
const callOf = (origin: ChangeOrigin) => ({ actor: anAdmin(), requestId: origin.requestId, clientAddress: origin.clientAddress });
const outboxSize = async (testbed: KvEntryTestbed): Promise<number> =>
  (await testbed.dataSource.query('SELECT count(*)::int AS n FROM outbox_event'))[0].n;

describe('kv-entry outbox against Postgres and RabbitMQ', () => {
  describe('with the broker up', () => {
    const testbed = useKvEntryTestbed();
    const tap = useEventTap(() => testbed.broker.url);

    it('publishes one event and one audit record per change, in order, without values', async () => {
      const namespaces = testbed.moduleRef.get(NamespacesService);
      const entries = testbed.moduleRef.get(EntriesService);
      const ns = await namespaces.create(request, { name: 'events', applicationId: 'billing' });
      const call = { ...request, namespaceId: ns.id };
      await entries.put(call, 'db/host', { value: 'planted-value-1', valueType: ValueType.STRING });
      await entries.put(call, 'db/host', { value: 'planted-value-2', valueType: ValueType.STRING });
      await entries.bulkSet(call, [
        { key: 'b/1', value: 'planted-value-3', valueType: ValueType.STRING },
        { key: 'b/2', value: 4, valueType: ValueType.NUMBER },
      ]);
      const created = await entries.put(call, 'c', { value: 'planted-value-5', valueType: ValueType.STRING, expectedVersion: 0 });
      await entries.put(call, 'c', { value: 'planted-value-6', valueType: ValueType.STRING, expectedVersion: 1 });
      await expect(
        entries.put(call, 'c', { value: 'planted-value-7', valueType: ValueType.STRING, expectedVersion: 1 }),
      ).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
      });
      await expect(
        entries.put(call, 'c', { value: 'planted-value-8', valueType: ValueType.STRING, expectedVersion: 0 }),
      ).rejects.toMatchObject({
        code: ErrorCode.VERSION_CONFLICT,
      });
      await entries.bulkDelete(call, ['b/1', 'b/9']);
      await entries.delete(call, 'db/host');
      await namespaces.update(call, { name: 'events-2', applicationId: 'billing' });
      await namespaces.delete(call);

      const expected = [
        ['kv.namespace.created', null, null],
        ['kv.entry.created', 'db/host', 1],
        ['kv.entry.updated', 'db/host', 2],
        ['kv.entry.created', 'b/1', 1],
        ['kv.entry.created', 'b/2', 1],
        ['kv.entry.created', 'c', 1],
        ['kv.entry.updated', 'c', 2],
        ['kv.entry.deleted', 'b/1', 1],
        ['kv.entry.deleted', 'db/host', 2],
        ['kv.namespace.updated', null, null],
        ['kv.namespace.deleted', null, null],
      ];
      await tap.waitFor((messages) => messages.filter((message) => message.exchange === KV_EVENTS_EXCHANGE).length >= expected.length);
      await tap.waitFor(() => tap.auditRecords().length >= expected.length);

      const events = tap.on(KV_EVENTS_EXCHANGE);
      expect(events.map(({ body }) => [body.type, body.keyPath, body.version])).toEqual(expected);
      for (const { body, routingKey, messageId } of events) {
        expect(validateSync(plainToInstance(KvEvent, body), { forbidUnknownValues: true })).toEqual([]);
        expect(routingKey).toBe(body.type);
        expect(messageId).toBe(body.id);
        expect(body).toMatchObject({
          applicationId: 'billing',
          namespaceId: ns.id,
          actor: 'admin',
          requestId: 'req-outbox',
          schemaVersion: 1,
        });
        expect(body.entryId === null).toBe(String(body.type).startsWith('kv.namespace.'));
      }
      expect(events.filter(({ body }) => body.keyPath === 'c').map(({ body }) => body.entryId)).toEqual([
        created.entry.id,
        created.entry.id,
      ]);
      const records = tap.auditRecords();
      expect(records.map((record) => record.id)).toEqual(events.map(({ body }) => body.id));
      // The relay sends the audit records of one round together: the bulk set's two shared a message.
      expect(tap.on(KV_AUDIT_EXCHANGE).some(({ body }) => Array.isArray(body) && body.length >= 2)).toBe(true);
      for (const body of records) {
        expect(validateSync(plainToInstance(AuditRecordMessage, body))).toEqual([]);
        expect(body).toMatchObject({ success: true, userId: 'admin', clientAddress: '10.1.2.3', requestId: 'req-outbox' });
      }
      expect(tap.messages.some(({ raw }) => raw.includes('planted-value'))).toBe(false);
    });

    it('records expired entries from the sweep as kv.entry.expired by the system', async () => {
      const ns = await testbed.moduleRef
        .get(NamespacesService)
        .create({ actor: anAdmin() }, { name: 'expiring', applicationId: 'billing' });
      const entries = testbed.moduleRef.get(EntriesService);
      const written = await entries.put({ actor: anAdmin(), namespaceId: ns.id }, 'short', {
        value: 'x',
        valueType: ValueType.STRING,
        ttlSeconds: 60,
      });
      await testbed.dataSource.query(`UPDATE entry SET expires_at = now() - interval '1 second' WHERE namespace_id = $1`, [ns.id]);
      await expect(testbed.moduleRef.get(EntryExpirySweeper).sweep()).resolves.toBe(1);
      await tap.waitFor((messages) => messages.some(({ body }) => body.type === 'kv.entry.expired' && body.namespaceId === ns.id));
      const expired = tap.on(KV_EVENTS_EXCHANGE).find(({ body }) => body.type === 'kv.entry.expired' && body.namespaceId === ns.id)!;
      expect(validateSync(plainToInstance(KvEvent, expired.body))).toEqual([]);
      expect(expired.body).toMatchObject({
        actor: 'system',
        requestId: null,
        applicationId: 'billing',
        entryId: written.entry.id,
        keyPath: 'short',
        version: 1,
      });
      const record = tap.auditRecords().find((body) => body.id === expired.body.id);
      expect(record).toMatchObject({ action: 'EXPIRE', userId: 'system', success: true });
    });

    itEndsExpiredEntriesThatWritesRemove(() => {
      const entries = testbed.moduleRef.get(EntriesService);
      return {
        tap,
        dataSource: testbed.dataSource,
        entryTable: 'entry',
        createNamespace: async (creation) => {
          const { id } = await testbed.moduleRef
            .get(NamespacesService)
            .create(callOf(creation), { name: 'replaced', applicationId: 'billing' });
          const callIn = (origin: ChangeOrigin) => ({ ...callOf(origin), namespaceId: id });
          return {
            id,
            eventsOfCreation: 1,
            put: (key, body, origin) => entries.put(callIn(origin), key, body),
            bulkSet: (items, origin) => entries.bulkSet(callIn(origin), items),
            bulkDelete: (keys, origin) => entries.bulkDelete(callIn(origin), keys),
          };
        },
        sweep: () => testbed.moduleRef.get(EntryExpirySweeper).sweep(),
      };
    });
  });

  describe('with the broker away', () => {
    const proxy = useFixture(
      'the broker proxy',
      () => TcpProxy.start('127.0.0.1', 5672),
      (started) => started.close(),
    );
    const testbed = useKvEntryTestbed({ brokerUrl: (url) => Object.assign(new URL(url), { port: String(proxy.port) }).toString() });
    const tap = useEventTap(() => testbed.broker.url);

    it('keeps committed changes in the outbox and publishes each once the broker is back', async () => {
      const entries = testbed.moduleRef.get(EntriesService);
      const ns = await testbed.moduleRef.get(NamespacesService).create({ actor: anAdmin() }, { name: 'outage', applicationId: 'billing' });
      await tap.waitFor((messages) => messages.some(({ body }) => body.type === 'kv.namespace.created'));

      proxy.cut();
      for (let i = 0; i < 20; i++)
        await entries.put({ actor: anAdmin(), namespaceId: ns.id }, `k/${i}`, { value: i, valueType: ValueType.NUMBER });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await outboxSize(testbed)).toBe(20);
      expect(tap.on(KV_EVENTS_EXCHANGE).filter(({ body }) => body.type === 'kv.entry.created')).toHaveLength(0);

      proxy.restore();
      await tap.waitFor(
        (messages) =>
          messages.filter(({ exchange, body }) => exchange === KV_EVENTS_EXCHANGE && body.type === 'kv.entry.created').length >= 20,
        20_000,
      );
      const created = tap.on(KV_EVENTS_EXCHANGE).filter(({ body }) => body.type === 'kv.entry.created');
      expect(created.map(({ body }) => body.keyPath)).toEqual(Array.from({ length: 20 }, (_, i) => `k/${i}`));
      expect(new Set(created.map(({ body }) => body.id)).size).toBe(20);
      // The relay deletes the rows once the broker confirmed them, which may come just after delivery.
      for (let waited = 0; (await outboxSize(testbed)) > 0 && waited < 5000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await outboxSize(testbed)).toBe(0);
    }, 40_000);
  });
});
