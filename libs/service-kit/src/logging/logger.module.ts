import { DynamicModule, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { CommonEnv } from '../config/common-env';
import { isHealthProbe } from '../health/management-paths';
import { redactUrl } from './redact-url';
import { currentRequestId } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a sane token, else a fresh one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs through pino. Request bodies are never logged, the redaction list covers the
 * places where a token or a value could otherwise slip into a line, and a URL's credentials are redacted.
 */
export function createLoggerModule(service: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<CommonEnv, true>) => ({
      forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      pinoHttp: {
        name: service,
        level: config.get('KV_LOG_LEVEL', { infer: true }),
        genReqId: (request: IncomingMessage) => requestIdOf(request),
        customAttributeKeys: { reqId: 'requestId' },
        // Lines logged while a message is handled name its request too (see ServiceRpcServer).
        mixin: () => {
          const requestId = currentRequestId();
          return requestId === undefined ? {} : { requestId };
        },
        autoLogging: { ignore: (request: IncomingMessage) => isHealthProbe(request.url ?? '') },
        redact: {
          paths: ['req.headers.authorization', 'req.headers.cookie', '*.value', '*.body', 'value', 'body'],
          censor: '[redacted]',
        },
        serializers: {
          req: (request: { id: unknown; method: unknown; url: unknown }) => ({
            id: request.id,
            method: request.method,
            url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
          }),
        },
      },
    }),
  });
}
