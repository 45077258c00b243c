import { KvEvent } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EventTap } from './support/event-tap';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { anAdmin } from './support/principals';

/** Another team's consumer: a plain amqplib client bound to `kv.events`, driving changes through the gateway. */
describe('events on kv.events', () => {
  let tap: EventTap;
  let admin: string;

  beforeAll(async () => {
    tap = await EventTap.start(platformState().rabbitmqUrl, [
      { exchange: 'kv.events', pattern: 'kv.entry.*' },
      { exchange: 'kv.events', pattern: 'kv.namespace.#' },
      { exchange: 'kv.events', pattern: 'kv.secret.*' },
    ]);
    admin = await tokenFor(anAdmin({ id: 'events-user' }));
  });

  afterAll(() => tap?.close());

  const eventsOf = (namespaceId: string) => tap.messages.filter(({ body }) => body.namespaceId === namespaceId);

  it('publishes every change of both services with the stable envelope and never a value', async () => {
    const applicationId = uniqueName('events');
    const plain = await createNamespace(admin, { applicationId });
    const secret = await createNamespace(admin, { applicationId, isSecretNamespace: true });
    const headers = { 'x-request-id': 'trace-events-1' };
    const planted = `planted-${Date.now()}`;

    expect(
      (await call('PUT', `/${plain.id}/entries/app/url`, { token: admin, headers, body: { value: planted, valueType: 'STRING' } })).status,
    ).toBe(201);
    expect(
      (await call('PUT', `/${plain.id}/entries/app/url`, { token: admin, body: { value: `${planted}-2`, valueType: 'STRING' } })).status,
    ).toBe(200);
    expect((await call('DELETE', `/${plain.id}/entries/app/url`, { token: admin })).status).toBe(204);
    expect(
      (await call('PUT', `/${secret.id}/entries/db/pass`, { token: admin, body: { value: planted, valueType: 'STRING' } })).status,
    ).toBe(201);
    expect((await call('POST', `/${secret.id}/entries/db/pass/rotate`, { token: admin, body: {} })).status).toBe(200);
    expect((await call('POST', `/${secret.id}/entries/db/pass/rollback`, { token: admin, body: { version: 1 } })).status).toBe(200);
    expect(
      (await call('PUT', `/namespaces/${plain.id}`, { token: admin, body: { name: plain.name, applicationId, description: 'changed' } }))
        .status,
    ).toBe(200);
    expect((await call('DELETE', `/namespaces/${plain.id}`, { token: admin })).status).toBe(204);
    // Reads change nothing and publish no event.
    expect((await call('GET', `/${secret.id}/entries/db/pass`, { token: admin })).status).toBe(200);

    await tap.waitFor(() => eventsOf(plain.id).length >= 6 && eventsOf(secret.id).length >= 4);
    expect(eventsOf(plain.id).map(({ routingKey, body }) => [routingKey, body.keyPath, body.version])).toEqual([
      ['kv.namespace.created', null, null],
      ['kv.entry.created', 'app/url', 1],
      ['kv.entry.updated', 'app/url', 2],
      ['kv.entry.deleted', 'app/url', 2],
      ['kv.namespace.updated', null, null],
      ['kv.namespace.deleted', null, null],
    ]);
    expect(eventsOf(secret.id).map(({ routingKey, body }) => [routingKey, body.version])).toEqual([
      ['kv.namespace.created', null],
      ['kv.entry.created', 1],
      ['kv.secret.rotated', 2],
      ['kv.secret.rolled_back', 3],
    ]);

    for (const { body, messageId } of [...eventsOf(plain.id), ...eventsOf(secret.id)]) {
      expect(validateSync(plainToInstance(KvEvent, body))).toEqual([]);
      expect(messageId).toBe(body.id);
      expect(body).toMatchObject({ applicationId, actor: 'events-user', schemaVersion: 1 });
    }
    expect(eventsOf(plain.id)[1]!.body.requestId).toBe('trace-events-1');
    expect(tap.messages.some(({ raw }) => raw.includes(planted))).toBe(false);
  });
});
