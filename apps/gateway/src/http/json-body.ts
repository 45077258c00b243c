import { ErrorCode, KvException, jsonContentProblem } from '@app/contracts';
import type { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `maxDepth` (the body itself is level
 * 1). Iterative and stopping at the first container too deep: it runs before any recursive code (the
 * validation pipe, the value checks) sees the body, which at ~1,500 levels overflowed the stack.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** Whether a JSON content type's charset, if it names one, is UTF-8: the only one the parser reads. */
export function isUtf8ContentType(contentType: string | undefined): boolean {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * Only `application/json` bodies (any charset): any other type is 415 before a handler runs, so a form or text body is never
 * applied. Fastify's parser parses (V8's `JSON.parse` is iterative), then depth and keys are checked (jsonContentProblem);
 * registered through `useBodyParser`, so Nest adds none of its own.
 */
export function acceptOnlyJsonBodies(adapter: FastifyAdapter, maxDepth: number): void {
  const instance = adapter.getInstance();
  const parseJson = instance.getDefaultJsonParser('error', 'error');
  instance.removeAllContentTypeParsers();
  adapter.useBodyParser('application/json', false, undefined, (request, body, done) => {
    if (!isUtf8ContentType(request.headers['content-type'])) {
      return done(
        new KvException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported charset; send the body as UTF-8 application/json'),
        undefined,
      );
    }
    void parseJson(request, body as unknown as string, (error, parsed) => {
      if (error) return done(error, undefined);
      // Every body of this API is an object: `null`, a string or an array is no documented shape.
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return done(new KvException(ErrorCode.VALIDATION_FAILED, 'request body must be a JSON object'), undefined);
      }
      if (exceedsJsonDepth(parsed, maxDepth)) {
        return done(
          new KvException(ErrorCode.VALIDATION_FAILED, `request body must not nest more than ${maxDepth} levels of arrays and objects`),
          undefined,
        );
      }
      const problem = jsonContentProblem(parsed);
      if (problem !== null) return done(new KvException(problem.code, `request body ${problem.message}`), undefined);
      done(null, parsed);
    });
  });
}
