import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ErrorCode, KvException } from '@app/contracts';
import { toErrorBody } from './http-exception.filter';

describe('toErrorBody', () => {
  it("keeps a domain error's code and message, with the mapped status and its reason phrase", () => {
    expect(toErrorBody(new KvException(ErrorCode.ENTRY_NOT_FOUND, 'entry not found'), 'id')).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'entry not found',
      code: ErrorCode.ENTRY_NOT_FOUND,
    });
  });

  it.each([
    [ErrorCode.NOT_A_SECRET_NAMESPACE, 400, 'Bad Request'],
    [ErrorCode.VERSION_NOT_FOUND, 404, 'Not Found'],
    [ErrorCode.MASTER_KEY_UNAVAILABLE, 503, 'Service Unavailable'],
    // Generic by construction in the secrets service, so its message is kept (unlike an unexpected 500).
    [ErrorCode.DECRYPTION_FAILED, 500, 'Internal Server Error'],
  ])('answers the secrets error %s with %i and keeps its message', (code, statusCode, error) => {
    expect(toErrorBody(new KvException(code, 'the message'), 'id')).toEqual({ statusCode, error, message: 'the message', code });
  });

  it.each([
    [new NotFoundException('Cannot GET /api/v1/kv/x'), 404, ErrorCode.ROUTE_NOT_FOUND, 'route not found'],
    [new PayloadTooLargeException(), 413, ErrorCode.PAYLOAD_TOO_LARGE, 'request body is too large'],
    [new HttpException('Request Header Fields Too Large', 431), 431, ErrorCode.HEADERS_TOO_LARGE, 'request headers are too large'],
    [new ThrottlerException(), 429, ErrorCode.RATE_LIMITED, expect.stringContaining('Retry-After')],
    [
      new HttpException('Unsupported Media Type: text/xml', 415),
      415,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      expect.stringContaining('application/json'),
    ],
  ])("maps the framework's %p", (exception, statusCode, code, message) => {
    expect(toErrorBody(exception, 'id')).toEqual({ statusCode, error: expect.any(String), code, message });
  });

  it('never repeats a framework message, which can quote the body', () => {
    const body = toErrorBody(new BadRequestException('Unexpected token h in JSON: {"value":"hunter2"'), 'id');
    expect(body).toMatchObject({ statusCode: 400, code: ErrorCode.VALIDATION_FAILED });
    expect(body.message).not.toContain('hunter2');
  });

  it('names the failed checks of an unready health probe', () => {
    const unready = new ServiceUnavailableException({ status: 'error', info: {}, error: { rabbitmq: { status: 'down' } }, details: {} });
    expect(toErrorBody(unready, 'id')).toMatchObject({
      statusCode: 503,
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'not ready: rabbitmq',
    });
  });

  it('answers anything else with 500 and the error id only', () => {
    expect(toErrorBody(new TypeError('cannot read x of secret-value'), 'e-1')).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error (errorId e-1)',
      code: ErrorCode.INTERNAL_ERROR,
    });
    expect(toErrorBody('thrown string', 'e-2').message).toBe('internal error (errorId e-2)');
  });
});
