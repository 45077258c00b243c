import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { ServiceQueue } from '@app/contracts';
import { QUEUE_TYPES, rmqServerOptions } from '@app/service-kit';
import { validateGatewayEnv } from '../config/gateway.env';
import { AuditClient } from './audit.client';
import { KvEntryClient } from './kv-entry.client';
import { RpcModule } from './rpc.module';
import { SecretsClient } from './secrets.client';
import { ServiceClient } from './service-client';

describe('RpcModule', () => {
  const compile = (env: Record<string, string>) =>
    Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [() => validateGatewayEnv({ KV_JWT_SECRET: 'x'.repeat(32), KV_RABBITMQ_URL: 'amqp://127.0.0.1:1', ...env })],
        }),
        RpcModule,
      ],
    }).compile();

  it('provides one client per service, each on its own queue with the configured timeout', async () => {
    const moduleRef = await compile({ KV_RPC_TIMEOUT_MS: '1234' });
    const kvEntry = moduleRef.get(KvEntryClient);
    const secrets = moduleRef.get(SecretsClient);
    const audit = moduleRef.get(AuditClient);
    expect(kvEntry).toBeInstanceOf(KvEntryClient);
    expect(secrets).toBeInstanceOf(SecretsClient);
    expect(audit).toBeInstanceOf(AuditClient);
    const settingsOf = (client: ServiceClient<never>) => ({
      service: client['service'],
      queue: (client['proxy'] as unknown as { queue: string }).queue,
      timeoutMs: client['timeoutMs'],
    });
    expect(settingsOf(kvEntry as ServiceClient<never>)).toEqual({
      service: ServiceQueue.KV_ENTRY,
      queue: ServiceQueue.KV_ENTRY,
      timeoutMs: 1234,
    });
    expect(settingsOf(secrets as ServiceClient<never>)).toEqual({
      service: ServiceQueue.SECRETS,
      queue: ServiceQueue.SECRETS,
      timeoutMs: 1234,
    });
    expect(settingsOf(audit as ServiceClient<never>)).toEqual({ service: ServiceQueue.AUDIT, queue: ServiceQueue.AUDIT, timeoutMs: 1234 });
    await moduleRef.close();
  });

  it.each(QUEUE_TYPES)('declares each %s request queue with the very options its service listens with', async (queueType) => {
    const moduleRef = await compile({ KV_RABBITMQ_REQUEST_QUEUE_TYPE: queueType });
    for (const [client, queue] of [
      [KvEntryClient, ServiceQueue.KV_ENTRY],
      [SecretsClient, ServiceQueue.SECRETS],
      [AuditClient, ServiceQueue.AUDIT],
    ] as const) {
      const proxy = moduleRef.get<ServiceClient<never>>(client)['proxy'] as unknown as { queue: string; queueOptions: unknown };
      const listener = rmqServerOptions({ url: 'amqp://127.0.0.1:1', queue, queueType, prefetchCount: 1, consumerTag: 'tag' }).options!;
      expect([proxy.queue, proxy.queueOptions]).toEqual([listener.queue, listener.queueOptions]);
    }
    await moduleRef.close();
  });
});
