import { ErrorCode } from '@app/contracts';
import { clientErrorBody } from './fastify-adapter';

const clientError = (code: string) => Object.assign(new Error('parse error'), { code });

describe('clientErrorBody', () => {
  it('answers what Node refuses before any request exists in the error shape, with a code', () => {
    expect(clientErrorBody(clientError('HPE_HEADER_OVERFLOW'))).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'request headers are too large',
      code: ErrorCode.HEADERS_TOO_LARGE,
    });
    expect(clientErrorBody(clientError('ERR_HTTP_REQUEST_TIMEOUT'))).toMatchObject({ statusCode: 408, code: ErrorCode.VALIDATION_FAILED });
    expect(clientErrorBody(clientError('HPE_INVALID_METHOD'))).toMatchObject({
      statusCode: 400,
      code: ErrorCode.VALIDATION_FAILED,
      message: 'malformed HTTP request',
    });
  });
});
