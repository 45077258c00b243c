import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { RpcErrorFilter } from './rpc-exception.filter';

/**
 * The global filter of the hybrid app. RPC errors become the `{ code, message }` payload through
 * RpcErrorFilter; HTTP (health) keeps Nest's own handling, so that a failed readiness check still
 * answers 503 instead of hanging on an Observable that HTTP never subscribes to.
 */
@Catch()
export class ServiceErrorFilter extends BaseExceptionFilter {
  private readonly rpc = new RpcErrorFilter();

  override catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') return this.rpc.catch(exception);
    return super.catch(exception, host);
  }
}
