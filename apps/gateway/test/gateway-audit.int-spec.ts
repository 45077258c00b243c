import { AuditAction, AuditRecordMessage, ErrorCode, KV_AUDIT_EXCHANGE, NamespaceDescriptor } from '@app/contracts';
import { ConfirmPublisher } from '@app/service-kit';
import amqplib, { Channel, ChannelModel, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { TEST_QUEUE_TYPES, createVhost, deleteVhost } from '../../../test/support/rabbitmq-vhost';
import { anAdmin } from '../../../test/support/principals';
import { anEntry } from '../../../test/support/samples';
import { BootedGateway, bootGateway, plainDescriptor, tokenFor } from './support/boot-gateway';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const SECRET_NS = '5e0c7a1d-2b3c-4d5e-8f60-718293a4b5c6';
const PLANTED = 'planted-value-hunter2';
const entry = (namespaceId: string) => anEntry({ namespaceId, keyPath: 'db/password', value: PLANTED });
const describeBySecrecy = ({ namespaceId }: { namespaceId: string }): Promise<NamespaceDescriptor> =>
  Promise.resolve({ ...plainDescriptor(namespaceId), isSecretNamespace: namespaceId === SECRET_NS });

/** The real ConfirmPublisher against RabbitMQ: once on a vhost of this run, once on a closed port. */
describe('gateway audit trail (in-process, real RabbitMQ)', () => {
  const vhost = `kv-gateway-audit-${randomUUID()}`;
  let connection: ChannelModel;
  let channel: Channel;
  let queue: string;
  let reachable: BootedGateway;
  let unreachable: BootedGateway;
  let token: string;

  beforeAll(async () => {
    const url = createVhost(vhost);
    connection = await amqplib.connect(url);
    channel = await connection.createChannel();
    await channel.assertExchange(KV_AUDIT_EXCHANGE, 'topic', { durable: true });
    ({ queue } = await channel.assertQueue('', { exclusive: true }));
    await channel.bindQueue(queue, KV_AUDIT_EXCHANGE, 'audit.#');
    // ConfigModule reads the environment once per file: both gateways wait at most 1 s for a confirm.
    reachable = await bootGateway(
      { KV_AUDIT_PUBLISH_TIMEOUT_MS: '1000' },
      { auditPublisher: new ConfirmPublisher(url, 'gateway-audit-test', TEST_QUEUE_TYPES.KV_RABBITMQ_QUEUE_TYPE) },
    );
    unreachable = await bootGateway(
      {},
      {
        auditPublisher: new ConfirmPublisher(
          'amqp://guest:guest@127.0.0.1:1',
          'gateway-audit-unreachable',
          TEST_QUEUE_TYPES.KV_RABBITMQ_QUEUE_TYPE,
        ),
      },
    );
    for (const gateway of [reachable, unreachable]) gateway.describeNamespace.mockImplementation(describeBySecrecy);
    token = await tokenFor(anAdmin({ id: 'alice' }));
  });

  afterAll(async () => {
    await reachable?.app.close();
    await unreachable?.app.close();
    await connection?.close();
    deleteVhost(vhost);
  });

  const read = (gateway: BootedGateway, namespaceId: string) =>
    gateway.app.inject({
      method: 'GET',
      url: `/api/v1/kv/${namespaceId}/entries/db/password`,
      headers: { authorization: `Bearer ${token}` },
    });
  const recordOf = (message: GetMessage): AuditRecordMessage => JSON.parse(message.content.toString()) as AuditRecordMessage;

  async function nextMessage(): Promise<GetMessage> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (message) return message;
      if (Date.now() > deadline) throw new Error('no audit record arrived');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("a secret read's record is on the broker before the response leaves, persistent, without the value", async () => {
    reachable.secretsSend.mockResolvedValue(entry(SECRET_NS));
    const response = await read(reachable, SECRET_NS);
    expect(response.statusCode).toBe(200);
    // Asked only once the response is in: the broker already holds the record.
    const message = await channel.get(queue, { noAck: true });
    expect(message).not.toBe(false);
    const { content, properties } = message as GetMessage;
    const record = recordOf(message as GetMessage);
    expect(record).toMatchObject({
      action: AuditAction.READ,
      success: true,
      userId: 'alice',
      namespaceId: SECRET_NS,
      keyPath: 'db/password',
      requestId: response.headers['x-request-id'],
    });
    expect(properties).toMatchObject({ messageId: record.id, deliveryMode: 2, contentType: 'application/json' });
    expect(content.toString()).not.toContain(PLANTED);
  });

  it('a refused call is recorded too', async () => {
    const response = await reachable.app.inject({
      method: 'PUT',
      url: `/api/v1/kv/${NS}/entries/k`,
      payload: { value: PLANTED, valueType: 'STRING' },
    });
    expect(response.statusCode).toBe(401);
    const message = await nextMessage();
    expect(recordOf(message)).toMatchObject({
      action: AuditAction.WRITE,
      success: false,
      userId: 'anonymous',
      errorCode: ErrorCode.UNAUTHENTICATED,
    });
    expect(message.content.toString()).not.toContain(PLANTED);
  });

  it('with the broker unreachable, a secret read answers 503 without the value, a plain read still 200', async () => {
    unreachable.secretsSend.mockResolvedValue(entry(SECRET_NS));
    unreachable.send.mockResolvedValue(entry(NS));
    const secret = await read(unreachable, SECRET_NS);
    expect(secret.json()).toMatchObject({ statusCode: 503, code: ErrorCode.SERVICE_UNAVAILABLE });
    expect(secret.body).not.toContain(PLANTED);
    const plain = await read(unreachable, NS);
    expect(plain.statusCode).toBe(200);
    expect(plain.json().value).toBe(PLANTED);
  });
});
