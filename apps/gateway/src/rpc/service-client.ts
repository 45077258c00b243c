import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, RmqRecordBuilder } from '@nestjs/microservices';
import { isRpcErrorPayload } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Subscription, TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { describeRpcError, rpcFailure } from './rpc-failure';

/** When the caller stops waiting (epoch ms); a service may drop a message it receives after that. */
export const DEADLINE_HEADER = 'x-kv-deadline';

/**
 * Request/reply over RabbitMQ to one service. A call never waits longer than the timeout, even
 * while the broker is unreachable, and its message carries the same TTL (`expiration`), so a request
 * nobody took in time is dropped by the broker instead of being applied after the caller gave up.
 * `M` maps each pattern the service answers to its request and reply (the `*Rpc` maps of libs/contracts); one subclass
 * per service gives Nest a token to inject (see rpc.module.ts).
 */
export class ServiceClient<M extends { [P in keyof M]: { request: object; reply: unknown } }>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger: Logger;
  private connected = false;
  private readonly statusSubscription: Subscription;

  constructor(
    private readonly proxy: ClientProxy,
    private readonly service: string,
    private readonly timeoutMs: number,
  ) {
    this.logger = new Logger(`${service}-client`);
    this.statusSubscription = proxy.status.subscribe((status) => {
      this.connected = status === 'connected';
    });
  }

  /** Opens the connection in the background; a broker that is down does not stop the gateway. */
  warmUp(): void {
    this.proxy.connect().catch((error: unknown) => {
      this.logger.warn(`message broker not reachable yet, will retry: ${describeRpcError(error)}`);
    });
  }

  stop(): void {
    this.statusSubscription.unsubscribe();
  }

  onApplicationBootstrap(): void {
    this.warmUp();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async send<P extends keyof M & string>(pattern: P, request: M[P]['request']): Promise<M[P]['reply']> {
    const record = new RmqRecordBuilder(request)
      .setOptions({ expiration: String(this.timeoutMs), headers: { [DEADLINE_HEADER]: String(Date.now() + this.timeoutMs) } })
      .build();
    try {
      return await firstValueFrom(this.proxy.send<M[P]['reply']>(pattern, record).pipe(timeout({ first: this.timeoutMs })), {
        defaultValue: undefined,
      });
    } catch (error) {
      const errorId = randomUUID();
      const failure = rpcFailure(error, { service: this.service, timeoutMs: this.timeoutMs, connected: this.connected, errorId });
      if (!isRpcErrorPayload(error)) {
        this.logger.warn(
          `${pattern} failed (${failure.code}, errorId=${errorId}): ${error instanceof TimeoutError ? 'no reply in time' : describeRpcError(error)}`,
        );
      }
      throw failure;
    }
  }
}
