import { RouteConstraints } from '@nestjs/platform-fastify';
import { RESERVED_LAST_SEGMENT } from '@app/contracts';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../http/api-prefix';

/**
 * The entry operations besides get, put and delete: `POST {key}/rotate|rollback`, `GET {key}/versions` (no key may end with
 * `/versions`) and `GET {key}?version=N` (another permission). find-my-way allows a wildcard only at a route's end and a query
 * is no part of a route, so all share `/:nsId/entries/*`; the `entryOperation` constraint (`entryOperationOf`) tells them
 * apart before any guard runs, so each keeps its own handler, `@RequirePermission` and validation. The same holds for the
 * list, `GET /:nsId/entries`, and its keys-only form `?values=false` (which needs less: no value is read).
 */
export const EntryOperation = {
  ROTATE: 'rotate',
  ROLLBACK: 'rollback',
  VERSIONS: RESERVED_LAST_SEGMENT,
  READ_VERSION: 'read-version',
  LIST_KEYS: 'list-keys',
} as const;

export type EntryOperation = (typeof EntryOperation)[keyof typeof EntryOperation];

/** The operations a last path segment names, for each method that has any. */
export type SuffixOperation = typeof EntryOperation.ROTATE | typeof EntryOperation.ROLLBACK | typeof EntryOperation.VERSIONS;

const SUFFIX_OPERATIONS = new Map<string, readonly SuffixOperation[]>([
  ['POST', [EntryOperation.ROTATE, EntryOperation.ROLLBACK]],
  ['GET', [EntryOperation.VERSIONS]],
  // Fastify serves HEAD with the GET route.
  ['HEAD', [EntryOperation.VERSIONS]],
]);

const ENTRY_OPERATIONS: readonly unknown[] = Object.values(EntryOperation);
const SUFFIXES: ReadonlySet<unknown> = new Set([...SUFFIX_OPERATIONS.values()].flat());

/** Whether the operation is named by the path's last segment (which is then no part of the key), not by a query. */
export function isSuffixOperation(operation: EntryOperation | undefined): operation is SuffixOperation {
  return SUFFIXES.has(operation);
}

export const ENTRY_OPERATION_CONSTRAINT = 'entryOperation';

const ENTRY_PATH = new RegExp(`^/${API_PREFIX}/[^/]+/entries/(.+)$`);
const LIST_PATH = new RegExp(`^/${API_PREFIX}/[^/]+/entries/?$`);

/**
 * The entry operation a request names, from its method and raw URL; `undefined` for any other
 * request. A suffix counts only as a whole last segment after a non-empty key, and is matched on the
 * raw path: an encoded `%2F` never makes one (`a%2Frotate` is the key `a/rotate`).
 */
export function entryOperationOf(method: string, url: string): EntryOperation | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const isRead = method === 'GET' || method === 'HEAD';
  // Any `values=false` picks the keys-only route, whose validation then refuses a repeated or contradicting one.
  if (LIST_PATH.test(path)) {
    return isRead && queryStart !== -1 && new URLSearchParams(url.slice(queryStart + 1)).getAll('values').includes('false')
      ? EntryOperation.LIST_KEYS
      : undefined;
  }
  const rest = ENTRY_PATH.exec(path)?.[1];
  if (rest === undefined) return undefined;
  const lastSlash = rest.lastIndexOf('/');
  const suffix = lastSlash > 0 ? rest.slice(lastSlash + 1) : undefined;
  const named = SUFFIX_OPERATIONS.get(method)?.find((operation) => operation === suffix);
  if (named !== undefined) return named;
  if (isRead && queryStart !== -1 && new URLSearchParams(url.slice(queryStart + 1)).has('version')) return EntryOperation.READ_VERSION;
  return undefined;
}

type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteHandler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

const entryOperationStrategy: ConstraintStrategy = {
  name: ENTRY_OPERATION_CONSTRAINT,
  // A request naming an operation that no route of its method serves goes to the plain route of its
  // path: `GET {key}/rotate` reads the key `…/rotate`, `PUT {key}/versions` is refused as a bad key.
  mustMatchWhenDerived: false,
  storage: () => {
    const handlers = new Map<unknown, RouteHandler>();
    return {
      get: (operation) => handlers.get(operation) ?? null,
      set: (operation, handler) => {
        handlers.set(operation, handler);
      },
    };
  },
  validate: (operation) => {
    if (!ENTRY_OPERATIONS.includes(operation)) throw new Error(`unknown entry operation ${String(operation)}`);
  },
  deriveConstraint: (request) => entryOperationOf(request.method ?? '', request.url ?? ''),
};

/** A route served only for requests naming this operation (for one named by a query, not a path). */
export const ForEntryOperation = (operation: typeof EntryOperation.READ_VERSION | typeof EntryOperation.LIST_KEYS) =>
  RouteConstraints({ [ENTRY_OPERATION_CONSTRAINT]: operation });

const WILDCARD_THEN_SEGMENT = /\/\*\/([^/]+)$/;

/**
 * Lets a route declare one operation segment after its wildcard (`@Post('*\/rotate')`): Nest, its guards, the route scan
 * and Swagger see that path, while find-my-way gets `…/*` constrained to the operation. Any other segment after a wildcard
 * fails at start-up.
 */
export function registerEntryOperationRouting(fastify: FastifyInstance): void {
  fastify.addConstraintStrategy(entryOperationStrategy);
  fastify.addHook('onRoute', (route) => {
    const segment = WILDCARD_THEN_SEGMENT.exec(route.url)?.[1];
    if (segment === undefined) return;
    for (const method of [route.method].flat()) {
      if (!SUFFIX_OPERATIONS.get(method)?.some((operation) => operation === segment)) {
        throw new Error(`route ${method} ${route.url}: "${segment}" is not an entry operation of ${method}`);
      }
    }
    route.url = route.url.slice(0, -(segment.length + 1));
    route.path = route.url;
    route.constraints = { ...route.constraints, [ENTRY_OPERATION_CONSTRAINT]: segment };
  });
}
