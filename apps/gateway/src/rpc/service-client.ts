import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { isReplayed, isRpcErrorPayload } from '@app/contracts';
import type { BrokerLink, RpcClient } from '@app/service-kit';
import { randomUUID } from 'node:crypto';
import { noteReplayed } from '../audit/audit-notes';
import { describeRpcError, rpcFailure } from './rpc-failure';

/**
 * Request/reply over RabbitMQ to one service. A call never waits longer than the timeout, and its message carries the
 * same TTL, so a request nobody took in time is dropped by the broker instead of being applied after the caller gave up;
 * while the broker is away a call fails at once. `M` maps each pattern the service answers to its request and reply
 * (the `*Rpc` maps of libs/contracts); one subclass per service gives Nest a token to inject (see rpc.module.ts).
 */
export class ServiceClient<M extends { [P in keyof M]: { request: object; reply: unknown } }>
  implements OnApplicationBootstrap, BrokerLink
{
  private readonly logger: Logger;

  constructor(
    private readonly rpc: RpcClient,
    private readonly service: string,
  ) {
    this.logger = new Logger(`${service}-client`);
  }

  get linkName(): string {
    return `${this.service} calls`;
  }

  /** Whether it has a channel to call on: readiness is down while it has not. */
  get connected(): boolean {
    return this.rpc.connected;
  }

  /** Sets its channel up in the background: a broker that is down does not stop the gateway. */
  onApplicationBootstrap(): void {
    void this.rpc.open();
  }

  /**
   * Each message gets a call id of its own (a redelivery of it carries the same, so the service applies it
   * once) and the deadline its caller waits until. A reply that repeats a stored first outcome is noted
   * for the HTTP answer's `Idempotent-Replayed` and passed on without its mark.
   */
  async send<P extends keyof M & string>(pattern: P, request: M[P]['request']): Promise<M[P]['reply']> {
    const { timeoutMs } = this.rpc.options;
    try {
      const reply = (await this.rpc.request(pattern, {
        ...request,
        callId: randomUUID(),
        deadline: Date.now() + timeoutMs,
      })) as M[P]['reply'];
      if (!isReplayed(reply)) return reply;
      noteReplayed();
      const { replayed: _mark, ...firstOutcome } = reply as M[P]['reply'] & { replayed: true };
      return firstOutcome as M[P]['reply'];
    } catch (error) {
      if (isRpcErrorPayload(error) && error.replayed) noteReplayed();
      const errorId = randomUUID();
      const failure = rpcFailure(error, { service: this.service, timeoutMs, errorId });
      if (!isRpcErrorPayload(error))
        this.logger.warn(`${pattern} failed (${failure.code}, errorId=${errorId}): ${describeRpcError(error)}`);
      throw failure;
    }
  }
}
