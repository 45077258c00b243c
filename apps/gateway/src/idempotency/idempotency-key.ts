import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import {
  ErrorCode,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyDto,
  KvException,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
} from '@app/contracts';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import stableStringify from 'safe-stable-stringify';

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

type KeyedRequest = Pick<FastifyRequest, 'headers' | 'method' | 'url' | 'body'>;

/**
 * The Idempotency-Key of a write, as the services take it: the key scoped to its principal, and the
 * request it came with (method, URL, If-Match and body, the body with its keys in order), both as
 * digests, so that no caller's text reaches a service's table. A read's key is ignored; a bad one is 400.
 */
export function idempotencyOf(request: KeyedRequest, principalId: string): IdempotencyDto | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined || !WRITE_METHODS.has(request.method)) return undefined;
  const parsed = typeof header === 'string' ? parseIdempotencyKey(header) : { problem: 'send one Idempotency-Key header' };
  if ('problem' in parsed) throw new KvException(ErrorCode.INVALID_IDEMPOTENCY_KEY, parsed.problem);
  return {
    key: sha256(JSON.stringify([principalId, parsed.key])),
    fingerprint: sha256(stableStringify([request.method, request.url, request.headers['if-match'] ?? null, request.body ?? null])),
  };
}

/** The header on every write route of the OpenAPI document. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        `Makes a retry safe: the same key with the same request answers the first outcome again (\`Idempotent-Replayed: true\`), ` +
        `without applying it twice; kept 24 h by default. A quoted string or a bare token, at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, ` +
        'scoped to the caller. Another request with the same key is 422 IDEMPOTENCY_KEY_REUSED; while the first is being applied, ' +
        '409 IDEMPOTENCY_KEY_IN_PROGRESS.',
      schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH + 2, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
    }),
  );
