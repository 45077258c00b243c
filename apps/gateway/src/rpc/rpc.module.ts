import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClientProxy, ClientsModule, RmqOptions, Transport } from '@nestjs/microservices';
import { ServiceQueue } from '@app/contracts';
import { requestQueueOptions, rmqSocketOptions } from '@app/service-kit';
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

const proxyToken = (queue: ServiceQueue): string => `rmq-proxy:${queue}`;

/** The same connection options for every service; only the queue differs. */
@Module({
  imports: [
    ClientsModule.registerAsync(
      SERVICES.map(({ queue }) => ({
        name: proxyToken(queue),
        inject: [ConfigService],
        useFactory: (config: ConfigService<GatewayEnv, true>): RmqOptions => ({
          transport: Transport.RMQ,
          options: {
            urls: [config.get<string>('KV_RABBITMQ_URL')],
            queue,
            // Declared as the service declares it: any other arguments and the broker refuses the declaration.
            queueOptions: requestQueueOptions(config.get('KV_RABBITMQ_REQUEST_QUEUE_TYPE', { infer: true })),
            socketOptions: rmqSocketOptions(),
          },
        }),
      })),
    ),
  ],
  providers: SERVICES.map(({ client, queue }) => ({
    provide: client,
    inject: [proxyToken(queue), ConfigService],
    useFactory: (proxy: ClientProxy, config: ConfigService<GatewayEnv, true>) =>
      new client(proxy, queue, config.get('KV_RPC_TIMEOUT_MS', { infer: true })),
  })),
  exports: SERVICES.map(({ client }) => client),
})
export class RpcModule {}
