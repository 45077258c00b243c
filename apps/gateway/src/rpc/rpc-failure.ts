import { ErrorCode, KvException, isRpcErrorPayload } from '@app/contracts';
import { TimeoutError } from 'rxjs';

export interface RpcFailureContext {
  service: string;
  timeoutMs: number;
  /** Whether the client had a broker connection when the call failed. */
  connected: boolean;
  errorId: string;
}

/**
 * What a failed call means to the caller. The service's own `{ code, message }` passes through;
 * no answer in time is a timeout if the broker was reachable, else the service is unavailable;
 * a local error (a string or an Error: connection refused or lost) means the broker is away; any
 * other reply is a fault of the service, reported with an error id only.
 */
export function rpcFailure(error: unknown, context: RpcFailureContext): KvException {
  if (isRpcErrorPayload(error)) return new KvException(error.code, error.message);
  if (error instanceof TimeoutError) {
    return context.connected
      ? new KvException(ErrorCode.SERVICE_TIMEOUT, `${context.service} did not answer within ${context.timeoutMs} ms`)
      : new KvException(ErrorCode.SERVICE_UNAVAILABLE, `${context.service} unavailable: message broker unreachable`);
  }
  if (isLocalError(error)) {
    return new KvException(ErrorCode.SERVICE_UNAVAILABLE, `${context.service} unavailable: message broker unreachable`);
  }
  return new KvException(ErrorCode.INTERNAL_ERROR, `internal error (errorId ${context.errorId})`);
}

/**
 * An error raised in this process rather than sent by a service: a string or an Error (connection
 * lost or refused), or amqp-connection-manager's `connectFailed` event `{ err, url }`. A service's
 * reply is parsed JSON, so it is never an Error.
 */
export function isLocalError(error: unknown): boolean {
  if (typeof error === 'string' || error instanceof Error) return true;
  return typeof error === 'object' && error !== null && (error as { err?: unknown }).err instanceof Error;
}

/** A short description of a local or foreign error for the log, never its payload. */
export function describeRpcError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (isLocalError(error)) return describeRpcError((error as { err: Error }).err);
  return `unexpected reply of type ${typeof error}`;
}
