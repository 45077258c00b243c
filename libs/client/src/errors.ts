import type { ErrorCode } from './schemas';

/** An answer that was not JSON in the gateway's error shape (e.g. from a proxy in front of it). */
export const UNKNOWN_ERROR_CODE = 'UNKNOWN_ERROR';

/** The gateway's error `{ statusCode, error, message, code }` as an exception. */
export class KvApiError extends Error {
  override readonly name: string = 'KvApiError';

  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode | typeof UNKNOWN_ERROR_CODE,
    message: string,
    /** The gateway's `x-request-id`, to find the call in its logs. */
    readonly requestId?: string,
  ) {
    super(message);
  }

  isNotFound(): boolean {
    return this.statusCode === 404;
  }

  isConflict(): boolean {
    return this.statusCode === 409;
  }

  /** 429 or 503: worth another try later (the client already retried). */
  isRetryable(): boolean {
    return this.statusCode === 429 || this.statusCode === 503;
  }
}

/** 404: NAMESPACE_NOT_FOUND, ENTRY_NOT_FOUND, VERSION_NOT_FOUND, ROUTE_NOT_FOUND. */
export class KvNotFoundError extends KvApiError {
  override readonly name = 'KvNotFoundError';
}

/** 409: VERSION_CONFLICT, NAMESPACE_EXISTS; IDEMPOTENCY_KEY_IN_PROGRESS after the last attempt. */
export class KvConflictError extends KvApiError {
  override readonly name = 'KvConflictError';
}

/** 401 or 403: no valid token, or a missing permission. */
export class KvAuthError extends KvApiError {
  override readonly name: string = 'KvAuthError';
}

/** 429 or 503 after the last attempt. */
export class KvUnavailableError extends KvApiError {
  override readonly name = 'KvUnavailableError';
}

/**
 * 422 IDEMPOTENCY_KEY_REUSED: the key was first sent with another request (another route or body). A bug
 * of the caller who chose the key, never retried: the first request's outcome is not this one's.
 */
export class KvIdempotencyKeyReusedError extends KvApiError {
  override readonly name = 'KvIdempotencyKeyReusedError';
}

/**
 * 410 REVISION_COMPACTED: the change log no longer holds the point a watch asked for (or fell behind to). Read again,
 * and watch from that read's revision.
 */
export class KvRevisionCompactedError extends KvApiError {
  override readonly name = 'KvRevisionCompactedError';

  constructor(message = 'the change log no longer holds this revision: read again and watch from that read', requestId?: string) {
    super(410, 'REVISION_COMPACTED', message, requestId);
  }
}

/** The gateway ended a watch at its token's expiry: watch again with a new token. */
export class KvTokenExpiredError extends KvAuthError {
  override readonly name = 'KvTokenExpiredError';

  constructor() {
    super(401, 'UNAUTHENTICATED', "the watch's token expired: watch again with a new token");
  }
}

/**
 * No whole answer within the client's `timeoutMs`, and no retry left (a read is not retried): a write may or
 * may not have been applied; sent again with the same idempotency key, it answers which.
 */
export class KvTimeoutError extends Error {
  override readonly name = 'KvTimeoutError';

  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
  }
}

export function apiErrorOf(statusCode: number, body: unknown, requestId?: string): KvApiError {
  const shaped = typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';
  const { code, message }: { code: KvApiError['code']; message?: unknown } = shaped
    ? (body as { code: ErrorCode; message?: unknown })
    : { code: UNKNOWN_ERROR_CODE };
  const text = typeof message === 'string' ? message : `HTTP ${statusCode}`;
  if (statusCode === 410 && code === 'REVISION_COMPACTED') return new KvRevisionCompactedError(text, requestId);
  const ErrorClass =
    statusCode === 404
      ? KvNotFoundError
      : statusCode === 409
        ? KvConflictError
        : statusCode === 401 || statusCode === 403
          ? KvAuthError
          : statusCode === 429 || statusCode === 503
            ? KvUnavailableError
            : code === 'IDEMPOTENCY_KEY_REUSED'
              ? KvIdempotencyKeyReusedError
              : KvApiError;
  return new ErrorClass(statusCode, code, text, requestId);
}
