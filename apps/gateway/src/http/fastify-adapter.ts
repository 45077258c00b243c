import { HttpStatus } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ErrorCode } from '@app/contracts';
import { REQUEST_ID_HEADER } from '@app/service-kit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerEntryOperationRouting } from '../entries/entry-operation';
import { ErrorBody, errorBody } from '../errors/http-exception.filter';
import { assignRequestId } from './request-id';

export interface GatewayHttpOptions {
  bodyLimit: number;
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

export function createGatewayAdapter(options: GatewayHttpOptions): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    genReqId: assignRequestId,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const body = frameworkErrorBody(error);
      void reply.code(body.statusCode).header(REQUEST_ID_HEADER, request.id).send(body);
    },
  });
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
