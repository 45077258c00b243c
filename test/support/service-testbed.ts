import type { ModuleMetadata, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ChangeSource } from '@app/contracts';
import { OutboxModule } from '@app/entry-store';
import { envValidator } from '@app/service-kit';
import { DataSource, DataSourceOptions } from 'typeorm';
import { lateBound, useFixture } from './fixture';
import { TestVhost, createTestVhost } from './rabbitmq-vhost';
import { ScratchDatabase, createMigratedScratchDatabase } from './scratch-database';

/** What differs from one service to the next in its integration tests; the wiring is the same for all. */
export interface ServiceUnderTest {
  /** Prefix of its scratch databases and vhosts, e.g. `kv_entry_it`. */
  name: string;
  /** Its settings class, validated as at boot. */
  envClass: new () => object;
  /** Settings of its tests on top of the defaults (a short outbox poll, say). */
  env?: Record<string, unknown>;
  /** Its data source for a database URL: the migrations the scratch database gets, and the connection. */
  dataSourceOptions: (url: string) => DataSourceOptions;
  /** How the tests' connection differs from the data source's (pool size, entities loaded from the feature modules). */
  connection?: { entities?: []; autoLoadEntities?: boolean; extra?: Record<string, unknown> };
  /** Its feature modules. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** Nest's own logger off (the service's pino logs are set by its env). */
  silent?: boolean;
  /** Awaited after `init()`, e.g. until a consumer consumes. */
  ready?: (moduleRef: TestingModule) => Promise<void>;
}

/** A migrated scratch database and a vhost of its own: what one or more instances of a service share. */
export interface ServiceBackends {
  database: ScratchDatabase;
  broker: TestVhost;
  drop(): Promise<void>;
}

/** One instance of the service: its feature modules, running on the backends. */
export interface ServiceInstance {
  moduleRef: TestingModule;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface ServiceInstanceOptions {
  /** Settings of this instance; they win over the service's and over the backends' URLs. */
  env?: Record<string, unknown>;
  /** How the instance reaches the database, from its URL (through a TcpProxy the test can cut, say). */
  databaseUrl?: (url: string) => string;
  /** How the instance reaches the broker, from the vhost's URL. */
  brokerUrl?: (url: string) => string;
}

/** A single instance on backends of its own: `close()` stops it and drops them. */
export interface ServiceTestbed extends ServiceInstance {
  database: ScratchDatabase;
  broker: TestVhost;
}

/**
 * A service that keeps its changes in an outbox (kv-entry, secrets), as its tests run it: the outbox relay
 * polling every 100 ms, entities from its feature modules, and a pool for the tests of concurrent writes.
 */
export function outboxServiceUnderTest(
  service: Pick<ServiceUnderTest, 'name' | 'envClass' | 'dataSourceOptions' | 'imports'> & { source: ChangeSource },
): ServiceUnderTest {
  const { source, ...rest } = service;
  return {
    ...rest,
    env: { KV_OUTBOX_POLL_INTERVAL_MS: 100 },
    connection: { entities: [], autoLoadEntities: true, extra: { max: 25 } },
    imports: [OutboxModule.forService(source), ...service.imports],
  };
}

export function migratedScratchDatabaseOf(service: ServiceUnderTest): Promise<ScratchDatabase> {
  return createMigratedScratchDatabase(service.name, service.dataSourceOptions);
}

export async function createServiceBackends(service: ServiceUnderTest): Promise<ServiceBackends> {
  const database = await migratedScratchDatabaseOf(service);
  const broker = createTestVhost(service.name);
  return {
    database,
    broker,
    drop: async () => {
      broker.delete();
      await database.drop();
    },
  };
}

export async function startServiceInstance(
  service: ServiceUnderTest,
  backends: Pick<ServiceBackends, 'database' | 'broker'>,
  options: ServiceInstanceOptions = {},
): Promise<ServiceInstance> {
  const databaseUrl = options.databaseUrl?.(backends.database.url) ?? backends.database.url;
  const brokerUrl = options.brokerUrl?.(backends.broker.url) ?? backends.broker.url;
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validatePredefined: false,
        validate: (raw) =>
          envValidator(service.envClass)({
            ...raw,
            KV_DATABASE_URL: databaseUrl,
            KV_RABBITMQ_URL: brokerUrl,
            ...service.env,
            ...options.env,
          }),
      }),
      TypeOrmModule.forRoot({ ...service.dataSourceOptions(databaseUrl), ...service.connection }),
      ...service.imports,
    ],
  }).compile();
  if (service.silent) moduleRef.useLogger(false);
  await moduleRef.init();
  await service.ready?.(moduleRef);
  return { moduleRef, dataSource: moduleRef.get(DataSource), close: () => moduleRef.close() };
}

export async function createServiceTestbed(service: ServiceUnderTest, options: ServiceInstanceOptions = {}): Promise<ServiceTestbed> {
  const backends = await createServiceBackends(service);
  let instance: ServiceInstance;
  try {
    instance = await startServiceInstance(service, backends, options);
  } catch (error) {
    await backends.drop();
    throw error;
  }
  return {
    ...instance,
    database: backends.database,
    broker: backends.broker,
    close: async () => {
      await instance.close();
      await backends.drop();
    },
  };
}

/** The service's testbed for the describe block it is called in: started in its beforeAll, closed in its afterAll. */
export function useServiceTestbed(service: ServiceUnderTest, options: ServiceInstanceOptions = {}): ServiceTestbed {
  return useFixture(
    `the ${service.name} testbed`,
    () => createServiceTestbed(service, options),
    (testbed) => testbed.close(),
  );
}

/** The provider `type` of `instance`, bound at describe time and looked up at each use (the instance starts later). */
export function providerOf<T extends object>(instance: ServiceInstance, type: Type<T>): T {
  return lateBound(() => instance.moduleRef.get(type));
}
