import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request id of the message being handled, for the logger's `mixin`: every line names its request. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs each message handler (and everything it awaits) in the context of the message's `requestId`. */
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const requestId = (context.switchToRpc().getData<{ requestId?: unknown }>() ?? {}).requestId;
    if (typeof requestId !== 'string') return next.handle();
    return new Observable((subscriber) => storage.run({ requestId }, () => next.handle().subscribe(subscriber)));
  }
}
