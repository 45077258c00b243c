import { ErrorCode, KvException, isRpcErrorPayload } from '@app/contracts';
import { BrokerUnavailableError, IncompatibleReplyError, RpcTimeoutError } from '@app/service-kit';

export interface RpcFailureContext {
  service: string;
  timeoutMs: number;
  errorId: string;
}

/**
 * What a failed call means to the caller. The service's own `{ code, message }` passes through; no answer in time is a
 * timeout; no broker connection (or one lost before the reply) means the service is unavailable; any other failure is
 * a fault, reported with an error id only.
 */
export function rpcFailure(error: unknown, context: RpcFailureContext): KvException {
  if (isRpcErrorPayload(error)) return new KvException(error.code, error.message);
  if (error instanceof RpcTimeoutError)
    return new KvException(ErrorCode.SERVICE_TIMEOUT, `${context.service} did not answer within ${context.timeoutMs} ms`);
  if (error instanceof IncompatibleReplyError)
    return new KvException(
      ErrorCode.SERVICE_UNAVAILABLE,
      `${context.service} runs a version this gateway cannot call (see the upgrade notes)`,
    );
  if (error instanceof BrokerUnavailableError)
    return new KvException(ErrorCode.SERVICE_UNAVAILABLE, `${context.service} unavailable: message broker unreachable`);
  return new KvException(ErrorCode.INTERNAL_ERROR, `internal error (errorId ${context.errorId})`);
}

/** A short description of a local or foreign error for the log, never its payload. */
export function describeRpcError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `unexpected reply of type ${typeof error}`;
}
