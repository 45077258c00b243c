import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';

/** 431 Request Header Fields Too Large (RFC 6585), which Nest's HttpStatus lacks. */
export const HEADER_FIELDS_TOO_LARGE = 431 as HttpStatus;

const { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS } =
  HttpStatus;
const { SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR } = HttpStatus;

/** The one place where a domain error code becomes an HTTP status; a code left out fails to compile. */
const STATUS_OF_CODE: Record<ErrorCode, HttpStatus> = {
  VALIDATION_FAILED: BAD_REQUEST,
  INVALID_KEY: BAD_REQUEST,
  INVALID_VALUE: BAD_REQUEST,
  INVALID_TEXT: BAD_REQUEST,
  INVALID_CURSOR: BAD_REQUEST,
  TOO_MANY_KEYS: BAD_REQUEST,
  DUPLICATE_KEY: BAD_REQUEST,
  NAMESPACE_KIND_IMMUTABLE: BAD_REQUEST,
  APPLICATION_IMMUTABLE: BAD_REQUEST,
  SECRET_NAMESPACE_UNSUPPORTED: BAD_REQUEST,
  NOT_A_SECRET_NAMESPACE: BAD_REQUEST,
  UNAUTHENTICATED: UNAUTHORIZED,
  FORBIDDEN,
  NAMESPACE_NOT_FOUND: NOT_FOUND,
  ENTRY_NOT_FOUND: NOT_FOUND,
  VERSION_NOT_FOUND: NOT_FOUND,
  ROUTE_NOT_FOUND: NOT_FOUND,
  NAMESPACE_EXISTS: CONFLICT,
  VERSION_CONFLICT: CONFLICT,
  INVALID_IDEMPOTENCY_KEY: BAD_REQUEST,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_KEY_IN_PROGRESS: CONFLICT,
  INVALID_REVISION: BAD_REQUEST,
  REVISION_COMPACTED: HttpStatus.GONE,
  WATCH_LIMIT_REACHED: TOO_MANY_REQUESTS,
  VALUE_TOO_LARGE: PAYLOAD_TOO_LARGE,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  HEADERS_TOO_LARGE: HEADER_FIELDS_TOO_LARGE,
  RATE_LIMITED: TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE,
  SERVICE_TIMEOUT: SERVICE_UNAVAILABLE,
  MASTER_KEY_UNAVAILABLE: SERVICE_UNAVAILABLE,
  // DECRYPTION_FAILED keeps its message (the service makes it generic: no value, no key material).
  DECRYPTION_FAILED: INTERNAL_SERVER_ERROR,
  INTERNAL_ERROR: INTERNAL_SERVER_ERROR,
};

export function httpStatusOf(code: ErrorCode): HttpStatus {
  const status = STATUS_OF_CODE[code];
  if (status === undefined) throw new Error(`unhandled error code ${String(code)}`);
  return status;
}

/** Statuses the framework raises on its own (unknown route, unparsable or oversized body, throttling...). */
const CODE_OF_FRAMEWORK_STATUS: ReadonlyMap<number, ErrorCode> = new Map([
  [BAD_REQUEST, ErrorCode.VALIDATION_FAILED],
  [HttpStatus.NOT_ACCEPTABLE, ErrorCode.VALIDATION_FAILED],
  [HttpStatus.LENGTH_REQUIRED, ErrorCode.VALIDATION_FAILED],
  [UNAUTHORIZED, ErrorCode.UNAUTHENTICATED],
  [FORBIDDEN, ErrorCode.FORBIDDEN],
  [NOT_FOUND, ErrorCode.ROUTE_NOT_FOUND],
  [HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.ROUTE_NOT_FOUND],
  [PAYLOAD_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE],
  [UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
  [HEADER_FIELDS_TOO_LARGE, ErrorCode.HEADERS_TOO_LARGE],
  [TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED],
  [SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE],
  [HttpStatus.GATEWAY_TIMEOUT, ErrorCode.SERVICE_UNAVAILABLE],
]);

/** The code of an error the framework raised with only a status. Anything not listed is a client error or a server-side fault. */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  return CODE_OF_FRAMEWORK_STATUS.get(status) ?? (status >= 400 && status < 500 ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL_ERROR);
}
