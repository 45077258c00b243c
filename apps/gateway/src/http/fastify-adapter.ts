import { HttpStatus } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ErrorCode } from '@app/contracts';
import { REQUEST_ID_HEADER } from '@app/service-kit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { registerEntryOperationRouting } from '../entries/entry-operation';
import { HEADER_FIELDS_TOO_LARGE } from '../errors/error-status';
import { ErrorBody, errorBody } from '../errors/http-exception.filter';
import { acceptOnlyJsonBodies } from './json-body';
import { assignRequestId } from './request-id';

export interface GatewayHttpOptions {
  bodyLimit: number;
  /** Arrays and objects a body may nest, the body itself included. */
  maxBodyDepth: number;
  /**
   * The proxies whose `X-Forwarded-For` names the client: their addresses or CIDR ranges, or how many hops
   * of them there are; none (an empty list): the peer is the client.
   */
  trustedProxies: string[] | number;
}

/**
 * Errors Fastify raises before routing, where Nest's filters cannot see them: a path with a broken
 * percent-encoding, or a path parameter over `maxParamLength`. Every path parameter of this API is a
 * namespace id, so an over-long one is an unknown namespace.
 */
export function frameworkErrorBody(error: FastifyError): ErrorBody {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return errorBody(HttpStatus.NOT_FOUND, ErrorCode.NAMESPACE_NOT_FOUND, 'namespace not found');
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return errorBody(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, 'malformed URL (invalid percent-encoding)');
  }
  return errorBody(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, 'malformed request');
}

/** What Node's HTTP parser refuses (headers too large, a broken request line), in the API's error shape. */
export function clientErrorBody(error: NodeJS.ErrnoException): ErrorBody {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return errorBody(HEADER_FIELDS_TOO_LARGE, ErrorCode.HEADERS_TOO_LARGE, 'request headers are too large');
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return errorBody(HttpStatus.REQUEST_TIMEOUT, ErrorCode.VALIDATION_FAILED, 'the request was not complete in time');
  }
  return errorBody(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED, 'malformed HTTP request');
}

/**
 * Fastify's `clientErrorHandler`, which answers before any request exists: like Fastify's default (it
 * writes to the socket and closes it), but with the error shape and a request id of its own.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = clientErrorBody(error);
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${body.statusCode} ${body.error}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `${REQUEST_ID_HEADER}: ${randomUUID()}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}

export function createGatewayAdapter(options: GatewayHttpOptions): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    // proxy-addr's list: only a hop from one of these may name the client in X-Forwarded-For.
    trustProxy: typeof options.trustedProxies === 'number' || options.trustedProxies.length > 0 ? options.trustedProxies : false,
    genReqId: assignRequestId,
    clientErrorHandler: answerClientError,
    // Node would answer a missing Host with a bare 400; refuseMalformedRequests answers it in the error shape.
    http: { requireHostHeader: false },
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const body = frameworkErrorBody(error);
      void reply.code(body.statusCode).header(REQUEST_ID_HEADER, request.id).send(body);
    },
  });
  acceptOnlyJsonBodies(adapter, options.maxBodyDepth);
  // Before any route exists: the entry routes rely on it (see entries/entry-operation.ts).
  registerEntryOperationRouting(adapter.getInstance());
  return adapter;
}

/** Every response, success or error, carries the request id. */
export function addRequestIdHook(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
