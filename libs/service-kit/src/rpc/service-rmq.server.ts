import { MessageHandler, ServerRMQ } from '@nestjs/microservices';
import { ServiceListenerOptions, rmqServerOptions } from './rmq-options';

/**
 * Nest's RMQ listener, looking a handler up by its pattern string first: Nest first parses each pattern as JSON (object
 * patterns), so our string patterns threw and caught a SyntaxError per message (measured: docs/benchmark.md).
 */
export class ServiceRmqServer extends ServerRMQ {
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }
}

/** A service's listener on its durable request queue (see `rmqServerOptions`), as a Nest transport strategy. */
export function serviceRmqStrategy(options: ServiceListenerOptions): { strategy: ServiceRmqServer } {
  return { strategy: new ServiceRmqServer(rmqServerOptions(options).options!) };
}
