import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { errorCodeOfHttpStatus, httpStatusOf } from './error-status';

describe('httpStatusOf', () => {
  const expected: Record<ErrorCode, number> = {
    VALIDATION_FAILED: 400,
    INVALID_KEY: 400,
    INVALID_VALUE: 400,
    INVALID_TEXT: 400,
    INVALID_IDEMPOTENCY_KEY: 400,
    INVALID_CURSOR: 400,
    TOO_MANY_KEYS: 400,
    DUPLICATE_KEY: 400,
    NAMESPACE_KIND_IMMUTABLE: 400,
    APPLICATION_IMMUTABLE: 400,
    SECRET_NAMESPACE_UNSUPPORTED: 400,
    NOT_A_SECRET_NAMESPACE: 400,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NAMESPACE_NOT_FOUND: 404,
    ENTRY_NOT_FOUND: 404,
    VERSION_NOT_FOUND: 404,
    ROUTE_NOT_FOUND: 404,
    NAMESPACE_EXISTS: 409,
    VERSION_CONFLICT: 409,
    IDEMPOTENCY_KEY_IN_PROGRESS: 409,
    INVALID_REVISION: 400,
    REVISION_COMPACTED: 410,
    WATCH_LIMIT_REACHED: 429,
    VALUE_TOO_LARGE: 413,
    PAYLOAD_TOO_LARGE: 413,
    IDEMPOTENCY_KEY_REUSED: 422,
    UNSUPPORTED_MEDIA_TYPE: 415,
    HEADERS_TOO_LARGE: 431,
    RATE_LIMITED: 429,
    SERVICE_UNAVAILABLE: 503,
    SERVICE_TIMEOUT: 503,
    MASTER_KEY_UNAVAILABLE: 503,
    DECRYPTION_FAILED: 500,
    INTERNAL_ERROR: 500,
  };

  it('covers every error code', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.entries(expected))('maps %s to %i', (code, status) => {
    expect(httpStatusOf(code as ErrorCode)).toBe(status);
  });

  it('throws on a code it does not know rather than guessing', () => {
    expect(() => httpStatusOf('NOPE' as ErrorCode)).toThrow('unhandled error code NOPE');
  });
});

describe('errorCodeOfHttpStatus', () => {
  it.each([
    [HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED],
    [HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
    [HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED],
    [HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN],
    [HttpStatus.NOT_FOUND, ErrorCode.ROUTE_NOT_FOUND],
    [HttpStatus.PAYLOAD_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE],
    [431, ErrorCode.HEADERS_TOO_LARGE],
    [HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED],
    [HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE],
    [HttpStatus.I_AM_A_TEAPOT, ErrorCode.VALIDATION_FAILED],
    [HttpStatus.BAD_GATEWAY, ErrorCode.INTERNAL_ERROR],
  ])('maps a framework %i to %s', (status, code) => {
    expect(errorCodeOfHttpStatus(status)).toBe(code);
  });
});
