import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';

/** 431 Request Header Fields Too Large (RFC 6585), which Nest's HttpStatus lacks. */
export const HEADER_FIELDS_TOO_LARGE = 431 as HttpStatus;

/** The one place where a domain error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.INVALID_KEY:
    case ErrorCode.INVALID_VALUE:
    case ErrorCode.INVALID_TEXT:
    case ErrorCode.INVALID_CURSOR:
    case ErrorCode.TOO_MANY_KEYS:
    case ErrorCode.DUPLICATE_KEY:
    case ErrorCode.NAMESPACE_KIND_IMMUTABLE:
    case ErrorCode.APPLICATION_IMMUTABLE:
    case ErrorCode.SECRET_NAMESPACE_UNSUPPORTED:
    case ErrorCode.NOT_A_SECRET_NAMESPACE:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.UNAUTHENTICATED:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.FORBIDDEN:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NAMESPACE_NOT_FOUND:
    case ErrorCode.ENTRY_NOT_FOUND:
    case ErrorCode.VERSION_NOT_FOUND:
    case ErrorCode.ROUTE_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.NAMESPACE_EXISTS:
    case ErrorCode.VERSION_CONFLICT:
      return HttpStatus.CONFLICT;
    case ErrorCode.VALUE_TOO_LARGE:
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.HEADERS_TOO_LARGE:
      return HEADER_FIELDS_TOO_LARGE;
    case ErrorCode.RATE_LIMITED:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.SERVICE_UNAVAILABLE:
    case ErrorCode.SERVICE_TIMEOUT:
    case ErrorCode.MASTER_KEY_UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    // DECRYPTION_FAILED keeps its message (the service makes it generic: no value, no key material).
    case ErrorCode.DECRYPTION_FAILED:
    case ErrorCode.INTERNAL_ERROR:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}

/**
 * The code of an error the framework raised with only a status (unknown route, unparsable or
 * oversized body, throttling...). Anything not listed is a server-side fault.
 */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
    case HttpStatus.NOT_ACCEPTABLE:
    case HttpStatus.LENGTH_REQUIRED:
      return ErrorCode.VALIDATION_FAILED;
    case HttpStatus.UNAUTHORIZED:
      return ErrorCode.UNAUTHENTICATED;
    case HttpStatus.FORBIDDEN:
      return ErrorCode.FORBIDDEN;
    case HttpStatus.NOT_FOUND:
    case HttpStatus.METHOD_NOT_ALLOWED:
      return ErrorCode.ROUTE_NOT_FOUND;
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case HEADER_FIELDS_TOO_LARGE:
      return ErrorCode.HEADERS_TOO_LARGE;
    case HttpStatus.TOO_MANY_REQUESTS:
      return ErrorCode.RATE_LIMITED;
    case HttpStatus.SERVICE_UNAVAILABLE:
    case HttpStatus.GATEWAY_TIMEOUT:
      return ErrorCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 400 && status < 500 ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL_ERROR;
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}
