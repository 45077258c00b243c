import { randomBytes, randomUUID } from 'node:crypto';
import { AUDIT_RECORD_ROUTING_KEY, AuditAction, AuditRecordMessage, KV_AUDIT_EXCHANGE } from '@app/contracts';
import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { DataSource } from 'typeorm';
import { ScratchDatabase } from '../../../test/support/scratch-database';
import {
  ServiceBackends,
  ServiceInstance,
  ServiceUnderTest,
  createServiceBackends,
  migratedScratchDatabaseOf,
  startServiceInstance,
} from '../../../test/support/service-testbed';
import { AuditEnv } from '../src/config/audit.env';
import { auditDataSourceOptions } from '../src/database/data-source';
import { AuditRecordConsumer } from '../src/records/audit-record-consumer.service';
import { AuditRecordsModule } from '../src/records/audit-records.module';

/** The audit service's feature module, ready once its consumer consumes; small pool, quick to give up on a lost database. */
export const auditService: ServiceUnderTest = {
  name: 'kv_audit_it',
  envClass: AuditEnv,
  dataSourceOptions: auditDataSourceOptions,
  connection: { extra: { max: 5, connectionTimeoutMillis: 2000 } },
  imports: [AuditRecordsModule],
  silent: true,
  ready: (moduleRef) => moduleRef.get(AuditRecordConsumer).whenConsuming(),
};

/** A migrated scratch database and a vhost of its own: what one or more audit instances share. */
export type AuditBackends = ServiceBackends;

/** One audit service instance (its feature module, with the consumer running) on the backends. */
export type AuditInstance = ServiceInstance;

export function migratedScratchDatabase(): Promise<ScratchDatabase> {
  return migratedScratchDatabaseOf(auditService);
}

export function createBackends(): Promise<AuditBackends> {
  return createServiceBackends(auditService);
}

/** `databaseUrl` reaches the same database another way (through a proxy the test can cut, say). */
export function startInstance(
  backends: AuditBackends,
  env: Record<string, string> = {},
  databaseUrl = backends.database.url,
): Promise<AuditInstance> {
  return startServiceInstance(auditService, backends, { env, databaseUrl: () => databaseUrl });
}

/** A plain amqplib confirm channel, as a producer uses: every publish is confirmed by the broker. */
export class TestPublisher {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  static async open(url: string): Promise<TestPublisher> {
    const connection = await connect(url);
    return new TestPublisher(connection, await connection.createConfirmChannel());
  }

  async publish(body: unknown, messageId = randomUUID()): Promise<void> {
    this.send(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), messageId);
    await this.channel.waitForConfirms();
  }

  async publishAll(records: readonly AuditRecordMessage[]): Promise<void> {
    for (const record of records) this.send(Buffer.from(JSON.stringify(record)), record.id);
    await this.channel.waitForConfirms();
  }

  async readyCount(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async purge(queue: string): Promise<void> {
    await this.channel.purgeQueue(queue);
  }

  /** Takes (acknowledges) `count` messages from `queue` as they arrive, their JSON bodies and headers; fails after `timeoutMs`. */
  async takeAll(queue: string, count: number, timeoutMs = 10_000): Promise<Array<{ body: unknown; headers: Record<string, unknown> }>> {
    const taken: Array<{ body: unknown; headers: Record<string, unknown> }> = [];
    const deadline = Date.now() + timeoutMs;
    while (taken.length < count) {
      const message = await this.channel.get(queue, { noAck: true });
      if (message) taken.push({ body: JSON.parse(message.content.toString('utf8')), headers: message.properties.headers ?? {} });
      else if (Date.now() > deadline) throw new Error(`${taken.length} of ${count} messages arrived on ${queue}`);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return taken;
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }

  private send(content: Buffer, messageId: string): void {
    this.channel.publish(KV_AUDIT_EXCHANGE, AUDIT_RECORD_ROUTING_KEY, content, {
      persistent: true,
      contentType: 'application/json',
      messageId,
    });
  }
}

export function auditRecord(overrides: Partial<AuditRecordMessage> = {}): AuditRecordMessage {
  return {
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    action: AuditAction.READ,
    success: true,
    userId: 'reader',
    applicationId: 'billing',
    namespaceId: randomUUID(),
    entryId: null,
    keyPath: 'db/host',
    requestId: `req-${randomBytes(3).toString('hex')}`,
    clientAddress: '10.0.0.1',
    errorCode: null,
    eventType: null,
    ...overrides,
  };
}

/** Polls until `probe` returns what `done` accepts, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function storedCount(dataSource: DataSource): Promise<number> {
  const rows: Array<{ n: number }> = await dataSource.query('SELECT count(*)::int AS n FROM audit_record');
  return rows[0]!.n;
}
