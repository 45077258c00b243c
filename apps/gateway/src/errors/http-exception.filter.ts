import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { auditRecordOf, failedCallOf } from '../audit/audit-record.mapping';
import { AuditTrail } from '../audit/audit-trail';
import { RefusedCallLimiter } from '../throttle/refused-call-limiter';
import { requestIdOfRequest } from '../http/request-id';
import { errorCodeOfHttpStatus, httpStatusOf } from './error-status';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
}

export function errorBody(status: number, code: ErrorCode, message: string): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code };
}

/**
 * Fixed messages for errors the framework raises with only a status: their own messages can quote
 * the request (Node's JSON parser quotes the start of a malformed body). Any other is such a body.
 */
const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.ROUTE_NOT_FOUND]: 'route not found',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'request body is too large',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'unsupported media type; send the body as application/json',
  [ErrorCode.HEADERS_TOO_LARGE]: 'request headers are too large',
  [ErrorCode.RATE_LIMITED]: 'too many requests; retry after the number of seconds in Retry-After',
  [ErrorCode.UNAUTHENTICATED]: 'authentication required',
  [ErrorCode.FORBIDDEN]: 'forbidden',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'service unavailable',
};
const MALFORMED_REQUEST_MESSAGE = 'malformed request (the body must be valid JSON)';

/** Terminus answers an unready check with 503 and `{ status: 'error', error: { <name>: ... } }`. */
function unreadyMessage(response: unknown): string | null {
  if (typeof response !== 'object' || response === null) return null;
  const { status, error } = response as { status?: unknown; error?: unknown };
  if (status !== 'error' || typeof error !== 'object' || error === null) return null;
  return `not ready: ${Object.keys(error).join(', ')}`;
}

/** What to answer for any exception; `errorId` names an unexpected one in the logs. */
export function toErrorBody(exception: unknown, errorId: string): ErrorBody {
  if (exception instanceof KvException) {
    return errorBody(httpStatusOf(exception.code), exception.code, exception.message);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = errorCodeOfHttpStatus(status);
    if (code === ErrorCode.INTERNAL_ERROR) return errorBody(status, code, `internal error (errorId ${errorId})`);
    return errorBody(status, code, unreadyMessage(exception.getResponse()) ?? FRAMEWORK_MESSAGES[code] ?? MALFORMED_REQUEST_MESSAGE);
  }
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR, `internal error (errorId ${errorId})`);
}

/** What the refused-call limit counts: 401, 403, and any other client error of a call without a principal. */
function isRefusal(body: ErrorBody, request: FastifyRequest): boolean {
  if (body.code === ErrorCode.UNAUTHENTICATED || body.code === ErrorCode.FORBIDDEN) return true;
  return request.principal === undefined && body.statusCode < 500 && body.code !== ErrorCode.RATE_LIMITED;
}

function isFastifyRequest(request: unknown): request is FastifyRequest {
  return typeof request === 'object' && request !== null && 'routeOptions' in request;
}

/**
 * The gateway's one exception filter: every error leaves as `{ statusCode, error, message, code }`, and
 * every refused or failed call of an audited route (or of no route) is recorded, without holding it up.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auditTrail: AuditTrail,
    private readonly refusedCalls: RefusedCallLimiter,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const errorId = randomUUID();
    const body = toErrorBody(exception, errorId);
    const requestId = requestIdOfRequest(request);
    if (body.code === ErrorCode.INTERNAL_ERROR) {
      // The name and stack frames only: a message could quote a value. Never the request body.
      const name = exception instanceof Error ? exception.name : typeof exception;
      const stack = exception instanceof Error ? exception.stack?.split('\n').slice(1).join('\n') : undefined;
      this.logger.error(`unexpected ${name} (errorId=${errorId}, requestId=${requestId ?? '-'})`, stack);
    } else if (body.code === ErrorCode.UNAUTHENTICATED || body.code === ErrorCode.FORBIDDEN) {
      // The audit trail records refused calls too; this line is for whoever reads the gateway's log.
      this.logger.warn(`access refused: ${body.code} (requestId=${requestId ?? '-'}): ${body.message}`);
    }
    if (isFastifyRequest(request) && isRefusal(body, request)) this.refusedCalls.recordRefusal(request);
    const failedCall = isFastifyRequest(request) && !request.auditRecordSkipped ? failedCallOf(request) : null;
    if (failedCall) this.auditTrail.recordInBackground(auditRecordOf(failedCall, { success: false, errorCode: body.code }));
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) return;
    if (requestId) adapter.setHeader(response, 'x-request-id', requestId);
    adapter.reply(response, body, body.statusCode);
  }
}
