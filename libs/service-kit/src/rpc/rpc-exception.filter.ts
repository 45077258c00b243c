import { Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ErrorCode, KvException, RpcErrorPayload, isRpcErrorPayload } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { isDatabaseUnavailable, isRetryableConflict } from '../errors/pg-errors';

/**
 * Turns whatever a message handler throws into the `{ code, message }` payload the gateway maps to HTTP.
 * Unexpected errors are logged with an error id, and only that id leaves the service.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown): Observable<RpcErrorPayload> {
    return throwError(() => this.toPayload(exception));
  }

  private toPayload(exception: unknown): RpcErrorPayload {
    if (exception instanceof KvException) return exception.toPayload();
    if (exception instanceof RpcException) {
      const error = exception.getError();
      if (isRpcErrorPayload(error)) return error;
    }
    const errorId = randomUUID();
    if (isRetryableConflict(exception)) {
      this.logger.warn(`concurrent changes conflicted (errorId=${errorId}); nothing was applied`);
      return {
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: `a concurrent change conflicted with this one and nothing was applied; retry (errorId ${errorId})`,
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable (errorId=${errorId}): ${(exception as Error).message}`);
      return { code: ErrorCode.SERVICE_UNAVAILABLE, message: `database unavailable (errorId ${errorId})` };
    }
    // Only the name and stack: an error's message could quote a value from a failed query.
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(
      `unexpected ${name} (errorId=${errorId})`,
      exception instanceof Error ? exception.stack?.split('\n').slice(1).join('\n') : undefined,
    );
    return { code: ErrorCode.INTERNAL_ERROR, message: `internal error (errorId ${errorId})` };
  }
}
