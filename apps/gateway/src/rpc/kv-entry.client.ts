import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClientProxy } from '@nestjs/microservices';
import { ServiceQueue } from '@app/contracts';
import type { GatewayEnv } from '../config/gateway.env';
import type { KvEntryRpc } from './kv-entry.rpc';
import { ServiceClient } from './service-client';

export const KV_ENTRY_PROXY = Symbol('KV_ENTRY_PROXY');

/** The kv-entry service: namespaces and plain entries. */
@Injectable()
export class KvEntryClient extends ServiceClient<KvEntryRpc> implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(KV_ENTRY_PROXY) proxy: ClientProxy, config: ConfigService<GatewayEnv, true>) {
    super(proxy, ServiceQueue.KV_ENTRY, config.get('KV_RPC_TIMEOUT_MS', { infer: true }));
  }

  onApplicationBootstrap(): void {
    this.warmUp();
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
