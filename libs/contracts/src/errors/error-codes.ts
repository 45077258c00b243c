/**
 * Stable, machine-readable error codes. They cross RabbitMQ as strings and reach HTTP clients
 * unchanged, so a code is never renamed; the gateway maps each one to an HTTP status.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_KEY: 'INVALID_KEY',
  INVALID_VALUE: 'INVALID_VALUE',
  /** A text field (a name, description, reason, filter, claim...) breaks the text rule. */
  INVALID_TEXT: 'INVALID_TEXT',
  INVALID_CURSOR: 'INVALID_CURSOR',
  VALUE_TOO_LARGE: 'VALUE_TOO_LARGE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  TOO_MANY_KEYS: 'TOO_MANY_KEYS',
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  NAMESPACE_NOT_FOUND: 'NAMESPACE_NOT_FOUND',
  NAMESPACE_EXISTS: 'NAMESPACE_EXISTS',
  NAMESPACE_KIND_IMMUTABLE: 'NAMESPACE_KIND_IMMUTABLE',
  APPLICATION_IMMUTABLE: 'APPLICATION_IMMUTABLE',
  SECRET_NAMESPACE_UNSUPPORTED: 'SECRET_NAMESPACE_UNSUPPORTED',
  NOT_A_SECRET_NAMESPACE: 'NOT_A_SECRET_NAMESPACE',
  ENTRY_NOT_FOUND: 'ENTRY_NOT_FOUND',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  /** The Idempotency-Key header is malformed (400). */
  INVALID_IDEMPOTENCY_KEY: 'INVALID_IDEMPOTENCY_KEY',
  /** The key was first used for another request: another route or body (422). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this key is still being applied; try again shortly (409). */
  IDEMPOTENCY_KEY_IN_PROGRESS: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  /** A watch's `since` or `Last-Event-ID` is not a revision this namespace's watch gives out (400). */
  INVALID_REVISION: 'INVALID_REVISION',
  /** The revision a watch resumes from is older than the retained change log: read again and watch from the read's revision (410). */
  REVISION_COMPACTED: 'REVISION_COMPACTED',
  /** Too many open watches, the principal's or the gateway's (429). */
  WATCH_LIMIT_REACHED: 'WATCH_LIMIT_REACHED',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  MASTER_KEY_UNAVAILABLE: 'MASTER_KEY_UNAVAILABLE',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  SERVICE_TIMEOUT: 'SERVICE_TIMEOUT',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}
