import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClientsModule, RmqOptions, Transport } from '@nestjs/microservices';
import { ServiceQueue } from '@app/contracts';
import { rmqSocketOptions } from '@app/service-kit';
import type { GatewayEnv } from '../config/gateway.env';
import { KV_ENTRY_PROXY, KvEntryClient } from './kv-entry.client';

@Module({
  imports: [
    ClientsModule.registerAsync([
      {
        name: KV_ENTRY_PROXY,
        inject: [ConfigService],
        useFactory: (config: ConfigService<GatewayEnv, true>): RmqOptions => ({
          transport: Transport.RMQ,
          options: {
            urls: [config.get<string>('KV_RABBITMQ_URL')],
            queue: ServiceQueue.KV_ENTRY,
            queueOptions: { durable: true },
            socketOptions: rmqSocketOptions(),
          },
        }),
      },
    ]),
  ],
  providers: [KvEntryClient],
  exports: [KvEntryClient],
})
export class RpcModule {}
