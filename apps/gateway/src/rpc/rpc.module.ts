import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServiceQueue } from '@app/contracts';
import { BROKER_LINKS, BrokerLink, RpcClient, connectToBroker, durableQueueOptions } from '@app/service-kit';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { GatewayEnv } from '../config/gateway.env';
import { AuditClient } from './audit.client';
import { KvEntryClient } from './kv-entry.client';
import { SecretsClient } from './secrets.client';

/** Each service the gateway calls: its client class (also its injection token) and its queue. */
const SERVICES = [
  { client: KvEntryClient, queue: ServiceQueue.KV_ENTRY },
  { client: SecretsClient, queue: ServiceQueue.SECRETS },
  { client: AuditClient, queue: ServiceQueue.AUDIT },
] as const;

const RPC_CONNECTION = Symbol('rpc-connection');

/** One broker connection for the calls to every service, a channel each; only the queue differs. */
@Module({
  providers: [
    {
      provide: RPC_CONNECTION,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) =>
        connectToBroker(config.get('KV_RABBITMQ_URL', { infer: true }), new Logger('RpcModule'), 'calls answer 503 until reconnected'),
    },
    ...SERVICES.map(({ client, queue }) => ({
      provide: client,
      inject: [RPC_CONNECTION, ConfigService],
      useFactory: (connection: AmqpConnectionManager, config: ConfigService<GatewayEnv, true>) =>
        new client(
          new RpcClient(connection, {
            queue,
            // Declared as the service declares it: any other arguments and the broker refuses the declaration.
            queueOptions: durableQueueOptions(config.get('KV_RABBITMQ_REQUEST_QUEUE_TYPE', { infer: true })),
            timeoutMs: config.get('KV_RPC_TIMEOUT_MS', { infer: true }),
          }),
          queue,
        ),
    })),
    // Readiness reports each client's channel (see HealthController).
    { provide: BROKER_LINKS, inject: SERVICES.map(({ client }) => client), useFactory: (...clients: BrokerLink[]) => clients },
  ],
  exports: SERVICES.map(({ client }) => client),
})
export class RpcModule implements OnApplicationShutdown {
  constructor(@Inject(RPC_CONNECTION) private readonly connection: AmqpConnectionManager) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
