import { ErrorCode, isErrorCode } from './error-codes';

/** The error body that crosses RabbitMQ from a service to the gateway. */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
}

/**
 * A domain error: a stable code and a message that is safe to show to the caller.
 * It knows nothing about HTTP; the gateway maps the code to a status.
 * The message must never contain an entry's value.
 */
export class KvException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KvException';
  }

  toPayload(): RpcErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isErrorCode(candidate.code) && typeof candidate.message === 'string';
}
