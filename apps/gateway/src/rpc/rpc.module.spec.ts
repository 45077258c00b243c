import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { ServiceQueue } from '@app/contracts';
import { QUEUE_TYPES, RpcClient, durableQueueOptions } from '@app/service-kit';
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
  const rpcOf = (client: unknown) => (client as ServiceClient<never>)['rpc'] as RpcClient;

  it.each(QUEUE_TYPES)(
    'provides one client per service, each on its own %s queue, declared as its service does, with the configured timeout',
    async (queueType) => {
      const moduleRef = await compile({ KV_RPC_TIMEOUT_MS: '1234', KV_RABBITMQ_REQUEST_QUEUE_TYPE: queueType });
      for (const [token, queue] of [
        [KvEntryClient, ServiceQueue.KV_ENTRY],
        [SecretsClient, ServiceQueue.SECRETS],
        [AuditClient, ServiceQueue.AUDIT],
      ] as const) {
        const client = moduleRef.get(token);
        expect(client).toBeInstanceOf(token);
        expect(client['service']).toBe(queue);
        expect(rpcOf(client).options).toEqual({ queue, queueOptions: durableQueueOptions(queueType), timeoutMs: 1234 });
      }
      // The three share one connection.
      expect(new Set([KvEntryClient, SecretsClient, AuditClient].map((token) => rpcOf(moduleRef.get(token))['connection'])).size).toBe(1);
      await moduleRef.close();
    },
  );
});
