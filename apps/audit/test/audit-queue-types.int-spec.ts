import { AUDIT_DEAD_LETTER_EXCHANGE, AUDIT_DEAD_LETTER_QUEUE, AUDIT_RECORDS_QUEUE } from '@app/contracts';
import { QUEUE_TYPES, QueueType, assertAuditTopology } from '@app/service-kit';
import { connect } from 'amqplib';
import { BrokerQueue, brokerQueues } from '../../../test/support/rabbitmq-vhost';
import { auditRecord, eventually, useAuditConsumer } from './audit-testing';

const QUORUM = { 'x-queue-type': 'quorum' };
/** What the broker reports for each audit queue of a type: quorum ones dead-letter at-least-once. */
const EXPECTED: Record<QueueType, Record<string, Pick<BrokerQueue, 'type' | 'arguments'>>> = {
  classic: {
    [AUDIT_RECORDS_QUEUE]: { type: 'classic', arguments: { 'x-dead-letter-exchange': AUDIT_DEAD_LETTER_EXCHANGE } },
    [AUDIT_DEAD_LETTER_QUEUE]: { type: 'classic', arguments: {} },
  },
  quorum: {
    [AUDIT_RECORDS_QUEUE]: {
      type: 'quorum',
      arguments: {
        ...QUORUM,
        'x-dead-letter-exchange': AUDIT_DEAD_LETTER_EXCHANGE,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    },
    [AUDIT_DEAD_LETTER_QUEUE]: { type: 'quorum', arguments: QUORUM },
  },
};

/** KV_RABBITMQ_QUEUE_TYPE on the real broker: what the audit service declares, and that dead letters still reach their queue. */
describe.each(QUEUE_TYPES)('audit queues with KV_RABBITMQ_QUEUE_TYPE=%s, against RabbitMQ and Postgres', (queueType) => {
  const consumer = useAuditConsumer({ KV_RABBITMQ_QUEUE_TYPE: queueType });
  const brokerUrl = () => consumer.backends.broker.url;
  const queue = (name: string) => brokerQueues(brokerUrl()).find((listed) => listed.name === name)!;

  it('declares audit.records and its dead-letter queue of that type, with their arguments', () => {
    const declared = brokerQueues(brokerUrl())
      .filter((listed) => listed.name in EXPECTED[queueType])
      .map((listed) => [listed.name, { type: listed.type, arguments: listed.arguments }]);
    expect(Object.fromEntries(declared)).toEqual(EXPECTED[queueType]);
  });

  it('refuses a process declaring them as the other type (PRECONDITION_FAILED): their type cannot change in place', async () => {
    const connection = await connect(brokerUrl());
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const other = queueType === 'quorum' ? 'classic' : 'quorum';
      await expect(assertAuditTopology(channel, other)).rejects.toThrow('PRECONDITION_FAILED');
    } finally {
      await connection.close();
    }
    expect(queue(AUDIT_RECORDS_QUEUE).type).toBe(queueType);
  });

  it('dead-letters a message that is not a record and a record the database refuses, and stores the rest', async () => {
    const good = Array.from({ length: 3 }, () => auditRecord());
    // Dead-lettered by the broker (the consumer rejects the message) and by the consumer (it publishes the one record).
    const notARecord = { ...auditRecord(), action: 'NOT_AN_ACTION' };
    const refused = auditRecord({ occurredAt: '0000-01-01T00:00:00.000Z' });
    await consumer.publisher.publish(notARecord);
    await consumer.publisher.publish([good[0]!, refused, ...good.slice(1)]);
    const letters = await consumer.publisher.takeAll(AUDIT_DEAD_LETTER_QUEUE, 2);
    expect(new Set(letters.map((letter) => (letter.body as { id: string }).id))).toEqual(new Set([notARecord.id, refused.id]));
    expect(await consumer.storedOnce((n) => n === good.length)).toBe(good.length);
  });

  // Last: a dead letter held by a quorum queue reaches its queue minutes after the route is back, into later tests.
  it(`${queueType === 'quorum' ? 'keeps (at-least-once)' : 'drops (at-most-once)'} a dead letter that no queue takes (the dead-letter queue unbound)`, async () => {
    await consumer.publisher.purge(AUDIT_DEAD_LETTER_QUEUE);
    const connection = await connect(brokerUrl());
    const channel = await connection.createChannel();
    await channel.unbindQueue(AUDIT_DEAD_LETTER_QUEUE, AUDIT_DEAD_LETTER_EXCHANGE, '');
    try {
      await consumer.publisher.publish({ ...auditRecord(), action: 'NOT_AN_ACTION' });
      // Held: neither ready nor delivered, yet still in the queue. A quorum queue's counts may lag, so the state is awaited.
      const held = queueType === 'quorum' ? 1 : 0;
      const settled = await eventually(
        async () => queue(AUDIT_RECORDS_QUEUE),
        (listed) => listed.ready === 0 && listed.unacknowledged === 0 && listed.messages === held,
        30_000,
      );
      expect([settled.ready, settled.unacknowledged, settled.messages]).toEqual([0, 0, held]);
      expect(queue(AUDIT_DEAD_LETTER_QUEUE).messages).toBe(0);
    } finally {
      await channel.bindQueue(AUDIT_DEAD_LETTER_QUEUE, AUDIT_DEAD_LETTER_EXCHANGE, '');
      await connection.close();
    }
  });
});
