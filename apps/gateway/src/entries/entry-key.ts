import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { ErrorCode, KvException, entryKeyProblem, throwIfProblem } from '@app/contracts';
import type { FastifyRequest } from 'fastify';
import type { SuffixOperation } from './entry-operation';

/**
 * The key of `/:nsId/entries/<key>`: the rest of the path. Fastify's router percent-decodes the
 * wildcard exactly once (`a%2Fb` → `a/b`, `a%252Fb` → `a%2Fb`), so it is used as given. On an
 * operation's route (`<key>/rotate`), the key is the wildcard without that last segment, which the
 * route's constraint has already found in the raw path.
 */
export function entryKeyOf(params: unknown, operation?: SuffixOperation): string {
  const wildcard = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['*'] : undefined;
  if (typeof wildcard !== 'string') throw new Error('EntryKey used on a route without a "*" wildcard');
  const key = operation === undefined ? wildcard : withoutLastSegment(wildcard, operation);
  throwIfProblem(entryKeyProblem(key));
  return key;
}

function withoutLastSegment(wildcard: string, segment: string): string {
  if (!wildcard.endsWith(`/${segment}`)) throw new Error(`EntryKey('${segment}') used on a route whose path does not end with it`);
  return wildcard.slice(0, -(segment.length + 1));
}

/** The entry's key; with an operation, the key before that operation's path segment. */
export const EntryKey = createParamDecorator((operation: SuffixOperation | undefined, context: ExecutionContext): string =>
  entryKeyOf(context.switchToHttp().getRequest<FastifyRequest>().params, operation),
);

const IF_MATCH = /^\s*(?:"(\d{1,15})"|(\d{1,15}))\s*$/;

/**
 * The version a write expects: body `expectedVersion`, or an `If-Match` header (`"3"` or `3`).
 * Both may be given only if they agree.
 */
export function expectedVersionOf(bodyVersion: number | undefined, ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch === '') return bodyVersion;
  const match = IF_MATCH.exec(ifMatch);
  if (!match) throw new KvException(ErrorCode.VALIDATION_FAILED, 'If-Match must be an entry version, e.g. "3"');
  const headerVersion = Number(match[1] ?? match[2]);
  if (bodyVersion !== undefined && bodyVersion !== headerVersion) {
    throw new KvException(ErrorCode.VALIDATION_FAILED, 'If-Match and expectedVersion differ');
  }
  return headerVersion;
}

/** The `ETag` of an entry version, as `If-Match` accepts it back. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Whether a request's `If-None-Match` names the entry's current ETag, so that the answer is 304 Not
 * Modified: `*`, or a list of entity tags compared weakly (RFC 9110 §13.1.2: `W/"3"` matches `"3"`).
 */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(',').map((tag) => tag.trim());
  return tags.some((tag) => tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag);
}

const MAX_AGE_DIRECTIVE = /^max-age=(\d{1,9})$/;

/**
 * How old a copy of a plain entry the caller accepts, from a request's `Cache-Control`: `max-age=N`
 * allows one read from the service at most N seconds ago (kept fresh by events meanwhile). Anything
 * else, `no-cache` or `no-store` included, asks the service (undefined).
 */
export function acceptedAgeMsOf(cacheControl: string | undefined): number | undefined {
  if (cacheControl === undefined) return undefined;
  const directives = cacheControl.split(',').map((directive) => directive.trim().toLowerCase());
  if (directives.includes('no-cache') || directives.includes('no-store')) return undefined;
  for (const directive of directives) {
    const seconds = Number(MAX_AGE_DIRECTIVE.exec(directive)?.[1] ?? 0);
    if (seconds > 0) return seconds * 1000;
  }
  return undefined;
}
