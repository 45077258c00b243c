import { ErrorCode, isErrorCode } from './error-codes';

/** The error body that crosses RabbitMQ from a service to the gateway. */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
  /** The stored first outcome of a request sent again, not a new failure (see Replayed). */
  replayed?: true;
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
    readonly replayed = false,
  ) {
    super(message);
    this.name = 'KvException';
  }

  toPayload(): RpcErrorPayload {
    return this.replayed ? { code: this.code, message: this.message, replayed: true } : { code: this.code, message: this.message };
  }
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isErrorCode(candidate.code) && typeof candidate.message === 'string';
}

/** A service's answer to a request it had already applied: the stored first outcome, marked so. */
export type Replayed<T> = T & { replayed?: true };

export function isReplayed(reply: unknown): boolean {
  return typeof reply === 'object' && reply !== null && (reply as { replayed?: unknown }).replayed === true;
}
