import { randomBytes, randomUUID } from 'node:crypto';
import {
  AUDIT_DEAD_LETTER_QUEUE,
  AUDIT_RECORDS_QUEUE,
  AUDIT_RECORD_ROUTING_KEY,
  AuditAction,
  AuditRecordMessage,
  AuditVerifyResult,
  KV_AUDIT_EXCHANGE,
} from '@app/contracts';
import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { DataSource } from 'typeorm';
import { useFixture } from '../../../test/support/fixture';
import { ScratchDatabase } from '../../../test/support/scratch-database';
import {
  ServiceBackends,
  ServiceInstance,
  ServiceTestbed,
  ServiceUnderTest,
  createServiceBackends,
  migratedScratchDatabaseOf,
  startServiceInstance,
  useServiceTestbed,
} from '../../../test/support/service-testbed';
import { AuditEnv } from '../src/config/audit.env';
import { auditDataSourceOptions } from '../src/database/data-source';
import { AuditRecordConsumer } from '../src/records/audit-record-consumer.service';
import { AuditRecordsModule } from '../src/records/audit-records.module';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { AuditRecordsService } from '../src/records/audit-records.service';
import { anAuditor } from '../../../test/support/principals';

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

/** One audit service instance on backends of its own, for the describe block it is called in (from its beforeAll to its afterAll). */
export function useAuditTestbed(): ServiceTestbed {
  return useServiceTestbed(auditService);
}

/** The audit tables on a migrated scratch database, with the repository and service on them but no consumer. */
export interface AuditDatabase {
  database: ScratchDatabase;
  dataSource: DataSource;
  repository: AuditRecordsRepository;
  service: AuditRecordsService;
}

/** An AuditDatabase for the describe block it is called in (from its beforeAll to its afterAll). */
export function useAuditDatabase(): AuditDatabase {
  return useFixture(
    'the audit database',
    async () => {
      const database = await migratedScratchDatabaseOf(auditService);
      const dataSource = await new DataSource(auditDataSourceOptions(database.url)).initialize();
      const repository = new AuditRecordsRepository(dataSource);
      return { database, dataSource, repository, service: new AuditRecordsService(repository) };
    },
    async ({ database, dataSource }) => {
      await dataSource.destroy();
      await database.drop();
    },
  );
}

/** An audit service consuming from a vhost of its own, a publisher on that vhost, and what the tests ask of the trail. */
export class AuditConsumer {
  constructor(
    readonly backends: AuditBackends,
    /** A test that stops it starts another (startInstance) before it ends: the fixture closes the one it finds. */
    public instance: AuditInstance,
    readonly publisher: TestPublisher,
  ) {}

  verify(): Promise<AuditVerifyResult> {
    return this.instance.moduleRef.get(AuditRecordsService).verify(anAuditor());
  }

  async storedCount(): Promise<number> {
    const rows: Array<{ n: number }> = await this.instance.dataSource.query('SELECT count(*)::int AS n FROM audit_record');
    return rows[0]!.n;
  }

  /** The number of stored records once `done` accepts it, or when `timeoutMs` is over. */
  storedOnce(done: (n: number) => boolean, timeoutMs?: number): Promise<number> {
    return eventually(() => this.storedCount(), done, timeoutMs);
  }

  /** Once the consumer has taken every message of its queue. */
  async drained(): Promise<void> {
    await eventually(
      () => this.publisher.readyCount(AUDIT_RECORDS_QUEUE),
      (n) => n === 0,
    );
  }

  deadLetters(): Promise<number> {
    return this.publisher.readyCount(AUDIT_DEAD_LETTER_QUEUE);
  }

  /** The number of dead letters once `done` accepts it, or when `timeoutMs` is over. */
  deadLettersOnce(done: (n: number) => boolean, timeoutMs?: number): Promise<number> {
    return eventually(() => this.deadLetters(), done, timeoutMs);
  }
}

/**
 * An AuditConsumer for the describe block it is called in (from its beforeAll to its afterAll), its instance
 * started with `env`; before each test the trail is emptied and the dead-letter queue purged.
 */
export function useAuditConsumer(env: Record<string, string> = {}): AuditConsumer {
  const consumer = useFixture(
    'the audit consumer',
    async () => {
      const backends = await createServiceBackends(auditService);
      const instance = await startInstance(backends, env);
      return new AuditConsumer(backends, instance, await TestPublisher.open(backends.broker.url));
    },
    async (made) => {
      await made.publisher.close();
      await made.instance.close();
      await made.backends.drop();
    },
  );
  beforeEach(async () => {
    await consumer.publisher.purge(AUDIT_DEAD_LETTER_QUEUE);
    await emptyAuditTrail(consumer.instance.dataSource);
  });
  return consumer;
}

/**
 * Removes every record, re-anchoring, checkpoint and pruned id, sets the chain head back to the genesis link and
 * the horizon of pruned ids back to forgetting none.
 */
export async function emptyAuditTrail(dataSource: DataSource): Promise<void> {
  await dataSource.query('TRUNCATE audit_record, audit_reanchor, audit_checkpoint, audit_pruned_id');
  await dataSource.query(`UPDATE audit_chain_head SET last_sequence = 0, last_hash = repeat('0', 64)`);
  await dataSource.query(`UPDATE audit_pruned_id_horizon SET forgotten_before = '-infinity'`);
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
