import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { PUBLISHED_AUDIT_ACTIONS } from '@app/contracts';
import { mintToken } from '@app/tokens';
import {
  HostileKey,
  MAX_KEY_BYTES,
  RawJson,
  ValueType,
  breakerKind,
  hostileKeyPath,
  hostileNumberText,
  harmlessHeaders,
  headerBytes,
  jsonBreakingTheRule,
  jsonMediaType,
  keyPathDefect,
  mismatchedTypedValue,
  percentEncode,
  queryString,
  textBreakingTheRule,
  wellFormedJsonObject,
  wellFormedKeyPath,
  wellFormedText,
  wellFormedTypedValue,
  wellFormedValueOf,
} from './support/hostile-arbitraries';
import {
  BodyDefect,
  QueryDefect,
  Spec,
  UNPARSEABLE,
  Wire,
  asJson,
  atMostUnits,
  maybe,
  pageQueryDefect,
  sharedBodyDefects,
  withMember,
  without,
} from './support/hostile-requests';
import { craftToken, presentation, tokenPlan, verdictOf } from './support/hostile-tokens';
import {
  API_PREFIX,
  Expectation,
  FuzzRequest,
  FuzzResponse,
  PropertyOutcome,
  Violation,
  badRequest,
  checkExpectation,
  checkInvariants,
  describeRequest,
  describeResponse,
  either,
  failureReport,
  isSuccess,
  refused,
  rememberSecret,
  runProperty,
  send,
  stats,
  succeeds,
} from './support/fuzz-harness';
import { Databases, EntryState, NamespaceFields, NamespaceModel, StateOracle, entryPath, sameJson } from './support/fuzz-model';
import { TestPlatform } from './support/test-platform';
import { sleep } from './support/workload';

/**
 * Issue 17, item 10: fast-check requests on every gateway route, well-formed and hostile (one defect each, so that the
 * contract fixes the answer). Every answer keeps the invariants (no 5xx; a coded 4xx with an x-request-id) and the model
 * (a refused write changes nothing); well-formed ones must succeed, so a gateway that refuses everything fails. A bystander's
 * calls must all reach a trail that verifies. A failure prints the seed and path to replay it, never a secret value.
 */

const SEED = Number(process.env.KV_FUZZ_SEED ?? 1710);
const RUNS = Number(process.env.KV_FUZZ_RUNS ?? 5400);

/** How the runs are shared among the route families (in proportion). */
const FAMILY_WEIGHTS = {
  public: 2,
  tokens: 7,
  namespaces: 6,
  entries: 11,
  lists: 4,
  watch: 3,
  bulk: 8,
  secrets: 8,
  audit: 4,
  http: 4,
} as const;
type Family = keyof typeof FAMILY_WEIGHTS;
const TOTAL_WEIGHT = Object.values(FAMILY_WEIGHTS).reduce((sum, weight) => sum + weight, 0);
const runsOf = (family: Family) => Math.max(20, Math.round((RUNS * FAMILY_WEIGHTS[family]) / TOTAL_WEIGHT));
const seedOf = (family: Family) => SEED + 1000 * Object.keys(FAMILY_WEIGHTS).indexOf(family);

/** Per property, time enough to run its share and to shrink a few failures on a busy 2-core machine. */
const PROPERTY_TIMEOUT_MS = Math.max(10 * 60_000, RUNS * 300);

const ADMIN = 'fuzz-admin';
const BYSTANDER = 'fuzz-bystander';
const AUDITOR = 'fuzz-auditor';
/** A namespace id no namespace has. */
const UNKNOWN_NAMESPACE = '00000000-0000-4000-8000-0000000f0017';

let platform: TestPlatform;
let url: string;
let jwtSecret: string;
let databases: Databases;
let oracle: StateOracle;
const tokens: Record<'admin' | 'auditor' | 'noAudit' | 'oneAppAuditor' | 'bystander', string> = {
  admin: '',
  auditor: '',
  noAudit: '',
  oneAppAuditor: '',
  bystander: '',
};
const tag = randomBytes(3).toString('hex');
const outcomes: PropertyOutcome[] = [];
let startedAt = 0;
/** Per family, how many generated cases the contract says must succeed, must be refused, or leaves open. */
const kinds = new Map<string, Record<Expectation['outcome'], number>>();
let currentFamily = '';

// ---------------------------------------------------------------------------------------------
// Requests

interface RequestOptions {
  token?: string;
  tokenLabel?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (application/json) unless `wire` says otherwise. */
  json?: unknown;
  wire?: Wire;
  secret?: boolean;
}

function request(method: string, path: string, options: RequestOptions = {}): FuzzRequest {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const wire = options.wire ?? (options.json === undefined ? undefined : asJson(options.json));
  if (wire?.contentType !== undefined) headers['content-type'] = wire.contentType;
  return {
    method,
    target: `${API_PREFIX}${path}`,
    headers,
    body: wire?.bytes,
    secret: options.secret,
    tokenLabel: options.tokenLabel ?? (options.token === tokens.admin ? `${ADMIN} token` : options.token ? 'token' : undefined),
  };
}

const asAdmin = (options: RequestOptions = {}): RequestOptions => ({ ...options, token: tokens.admin, tokenLabel: `${ADMIN} token` });

/** A request of the suite's own (setup, read-back): must succeed, and does not count as generated. */
async function setup(method: string, path: string, options: RequestOptions, status: number): Promise<FuzzResponse> {
  const outgoing = request(method, path, options);
  const response = await send(url, outgoing, 'check');
  if (response.status !== status)
    throw new Error(`setup ${method} ${path} answered ${describeResponse(response, outgoing.secret)}, not ${status}`);
  return response;
}

/** One generated request, what the contract says of it, and what its answer means for the model. */
interface Case {
  /** The case: route and defect. */
  label: string;
  /** The route (or the token's oddity): wrong statuses and codes are reported once per group. */
  group: string;
  request: FuzzRequest;
  expect: Expectation;
  /** Runs whatever the answer: updates the model from what happened, then reads back. */
  after?: (response: FuzzResponse) => Promise<void>;
}

function violationOf(label: string, error: unknown): Violation {
  return error instanceof Violation
    ? error
    : new Violation(
        `${label} | ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        String(error instanceof Error ? error.stack : error),
      );
}

/** Sends a case and runs every check; reports the first failure, with any others it caused. */
async function exchange(testCase: Case): Promise<FuzzResponse> {
  const counts = kinds.get(currentFamily) ?? { succeeds: 0, refused: 0, either: 0 };
  counts[testCase.expect.outcome]++;
  kinds.set(currentFamily, counts);
  let response: FuzzResponse;
  try {
    response = await send(url, testCase.request);
  } catch (error) {
    throw new Violation(`${testCase.label} | no answer (${(error as Error).message})`, `    request: ${describeRequest(testCase.request)}`);
  }
  const problems: Violation[] = [];
  const attempt = async (step: () => unknown) => {
    try {
      await step();
    } catch (error) {
      problems.push(violationOf(testCase.label, error));
    }
  };
  const where = { label: testCase.label, group: testCase.group };
  await attempt(() => checkInvariants(where, testCase.request, response));
  await attempt(() => checkExpectation(where, testCase.request, response, testCase.expect));
  if (testCase.after) await attempt(() => testCase.after!(response));
  if (problems.length > 1)
    throw new Violation(
      problems[0].signature,
      [problems[0].message, ...problems.slice(1).map((problem) => `  and then: ${problem.message}`)].join('\n'),
    );
  if (problems.length === 1) throw problems[0];
  return response;
}

/** Fails a check of an answer's content (not its status). */
function answerDiffers(label: string, outgoing: FuzzRequest, response: FuzzResponse, what: string): Violation {
  return new Violation(
    `${label} | the answer differs from the model`,
    `    request: ${describeRequest(outgoing)}\n    answer:  ${describeResponse(response, outgoing.secret)}\n    ${what}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The entry namespaces: a few plain and secret ones, replaced when retired (after a disagreement)

const POOL_APP = `fuzz-pool-${tag}`;
const POOL_SIZE = 3;
/** Entries a namespace may hold before writes go to its existing keys: keeps lists (and their audit records) small. */
const capOf = (namespace: NamespaceModel) => (namespace.isSecret ? 12 : 40);

let namesGiven = 0;

async function createNamespace(
  fields: { applicationId: string; isSecretNamespace: boolean; name?: string },
  token = tokens.admin,
): Promise<NamespaceModel> {
  const body = {
    name: fields.name ?? `fuzz-${namesGiven++}`,
    applicationId: fields.applicationId,
    isSecretNamespace: fields.isSecretNamespace,
  };
  const response = await setup('POST', '/namespaces', { json: body, token, tokenLabel: 'token' }, 201);
  return new NamespaceModel(namespaceFieldsOf(response.json));
}

function namespaceFieldsOf(json: unknown): NamespaceFields {
  const dto = json as NamespaceFields;
  return {
    id: dto.id,
    name: dto.name,
    applicationId: dto.applicationId,
    description: dto.description,
    isSecretNamespace: dto.isSecretNamespace,
    defaultTtlSeconds: dto.defaultTtlSeconds,
    maxSecretVersions: dto.maxSecretVersions,
  };
}

const pool: Record<'plain' | 'secret', NamespaceModel[]> = { plain: [], secret: [] };

async function poolNamespace(kind: 'plain' | 'secret', index: number): Promise<NamespaceModel> {
  const slot = index % POOL_SIZE;
  const current = pool[kind][slot];
  if (current && !current.retired) return current;
  const replacement = await createNamespace({ applicationId: POOL_APP, isSecretNamespace: kind === 'secret' });
  pool[kind][slot] = replacement;
  return replacement;
}

/** Which namespace a case goes to, and how its id is spelled in the URL. */
interface NamespaceChoice {
  kind: 'plain' | 'secret';
  index: number;
  alias: 'as-is' | 'upper-case' | 'unknown' | 'not-a-uuid';
  /** The path segment for `not-a-uuid`; `malformed` when its percent-encoding is not UTF-8 (then 400 is as right as 404). */
  notAUuid: { segment: string; malformed: boolean };
}

const namespaceChoice = (kinds: ReadonlyArray<'plain' | 'secret'> = ['plain', 'secret']): fc.Arbitrary<NamespaceChoice> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    index: fc.nat(POOL_SIZE - 1),
    alias: fc.oneof(
      { weight: 14, arbitrary: fc.constant('as-is' as const) },
      { weight: 2, arbitrary: fc.constantFrom('upper-case' as const, 'unknown' as const, 'not-a-uuid' as const) },
    ),
    notAUuid: fc.oneof(
      fc
        .constantFrom('not-a-uuid', '%00', '..', percentEncode('\u202e\u0000'), 'x'.repeat(600), '00000000-0000-4000-8000-00000000000g')
        .map((segment) => ({ segment, malformed: false })),
      fc.constant({ segment: percentEncode('ns\ud800'), malformed: true }),
    ),
  });

function namespaceInUrl(namespace: NamespaceModel, choice: NamespaceChoice): string {
  switch (choice.alias) {
    case 'as-is':
      return namespace.id;
    case 'upper-case':
      return namespace.id.toUpperCase();
    case 'unknown':
      return UNKNOWN_NAMESPACE;
    case 'not-a-uuid':
      return choice.notAUuid.segment;
  }
}

/** What any request to a namespace that is not there is answered. */
const noSuchNamespace = (choice: NamespaceChoice): Expectation =>
  choice.alias === 'not-a-uuid' && choice.notAUuid.malformed
    ? refused([400, 404], 'NAMESPACE_NOT_FOUND', 'VALIDATION_FAILED')
    : refused(404, 'NAMESPACE_NOT_FOUND');

/** Whether the choice names a namespace at all (else every request to it is 404 NAMESPACE_NOT_FOUND). */
const namesNamespace = (choice: NamespaceChoice) => choice.alias === 'as-is' || choice.alias === 'upper-case';

/** An existing key of the namespace (by index), else the fresh one (also when the namespace is full). */
interface KeyChoice {
  existing: boolean;
  index: number;
  fresh: string;
}

const keyChoice: fc.Arbitrary<KeyChoice> = fc.record({ existing: fc.boolean(), index: fc.nat(), fresh: wellFormedKeyPath });

function resolveKey(namespace: NamespaceModel, choice: KeyChoice): string {
  const keys = namespace.keys();
  if (keys.length > 0 && (choice.existing || keys.length >= capOf(namespace))) return keys[choice.index % keys.length];
  return choice.fresh;
}

/**
 * A lone surrogate cannot travel in a URL but as invalid UTF-8 (its WTF-8 bytes, percent-encoded), so
 * there a malformed-URL VALIDATION_FAILED is as right as INVALID_KEY or INVALID_TEXT; everything else
 * about a text-rule breaker is strict.
 */
function inUrl(text: string, ...codes: string[]): Expectation {
  return breakerKind(text) === 'a lone surrogate' ? badRequest(...codes, 'VALIDATION_FAILED') : badRequest(...codes);
}

/** A hostile key in a URL is INVALID_KEY (see `inUrl` for a lone surrogate). */
function urlKeyExpectation(key: HostileKey): Expectation {
  return key.defect === 'holds a lone surrogate' ? inUrl(key.key, 'INVALID_KEY') : badRequest('INVALID_KEY');
}

// ---------------------------------------------------------------------------------------------
// Entry writes: well-formed ones and their defects (PUT and bulk set share them)

interface EntryWrite {
  value: unknown;
  valueType: ValueType;
  metadata?: Record<string, unknown>;
  ttlSeconds?: number;
}

const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;

/** A write the contract accepts. TTLs are long enough that nothing expires during the run. */
const wellFormedWrite: fc.Arbitrary<EntryWrite> = fc
  .record({
    typed: wellFormedTypedValue,
    metadata: maybe(wellFormedJsonObject(), 0.5),
    ttlSeconds: maybe(fc.integer({ min: 3600, max: MAX_TTL_SECONDS }), 0.25),
  })
  .map(({ typed, metadata, ttlSeconds }) => ({
    ...typed,
    ...(metadata === undefined ? {} : { metadata }),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  }));

/** One defect of an entry write's fields, with the error the contract names for it. */
const entryWriteDefect: fc.Arbitrary<BodyDefect> = fc.oneof(
  mismatchedTypedValue.map(
    ({ valueType, value }) =>
      new BodyDefect('value not of its type', badRequest('INVALID_VALUE'), { valueType, value }, (body) => ({ ...body, valueType, value })),
  ),
  textBreakingTheRule().map(
    (value) =>
      new BodyDefect('STRING value breaks the text rule', badRequest('INVALID_VALUE'), value, (body) => ({
        ...body,
        valueType: 'STRING',
        value,
      })),
  ),
  jsonBreakingTheRule.map(
    (value) =>
      new BodyDefect('JSON value breaks the text rule', badRequest('INVALID_VALUE'), value, (body) => ({
        ...body,
        valueType: 'JSON',
        value,
      })),
  ),
  jsonBreakingTheRule
    .map((json) => (Array.isArray(json) ? { list: json } : json))
    .map(
      (metadata) =>
        new BodyDefect('metadata breaks the text rule', badRequest('INVALID_VALUE'), metadata, (body) => ({ ...body, metadata })),
    ),
  fc
    .constantFrom<unknown>(['a'], 'meta', 5, true)
    .map(
      (metadata) => new BodyDefect('metadata not an object', badRequest('VALIDATION_FAILED'), metadata, (body) => ({ ...body, metadata })),
    ),
  fc.constant(
    new BodyDefect('metadata over 16 KiB', badRequest('VALIDATION_FAILED'), undefined, (body) => ({
      ...body,
      metadata: { blob: 'm'.repeat(17 * 1024) },
    })),
  ),
  fc.constant(
    new BodyDefect('value over KV_MAX_VALUE_BYTES', refused(413, 'VALUE_TOO_LARGE'), '70,000 characters', (body) => ({
      ...body,
      valueType: 'STRING',
      value: 'v'.repeat(70_000),
    })),
  ),
  fc
    .constantFrom<unknown>('INTEGER', 'string', '', 5, null, ['STRING'])
    .map(
      (valueType) =>
        new BodyDefect('valueType not one of the types', badRequest('VALIDATION_FAILED'), valueType, (body) => ({ ...body, valueType })),
    ),
  fc
    .constantFrom('value', 'valueType')
    .map((name) => new BodyDefect(`${name} missing`, badRequest('VALIDATION_FAILED'), undefined, (body) => without(body, name))),
  fc.oneof(fc.constantFrom<unknown>(0, -1, 1.5, '60', MAX_TTL_SECONDS + 1, true, [60]), hostileNumberText).map(
    (ttlSeconds) =>
      new BodyDefect('ttlSeconds not a whole number of seconds in range', badRequest('VALIDATION_FAILED'), ttlSeconds, (body) => ({
        ...body,
        ttlSeconds,
      })),
  ),
  fc.constantFrom('__proto__', 'constructor').map(
    (name) =>
      new BodyDefect('a JSON value with a prototype-polluting member', either, name, (body) => ({
        ...body,
        valueType: 'JSON',
        value: withMember({ ok: 1 }, name, { polluted: true }),
      })),
  ),
  fc.constant(new BodyDefect('a JSON value of null', either, undefined, (body) => ({ ...body, valueType: 'JSON', value: null }))),
);

/** What an accepted write body means for one entry (from what the service would have parsed). */
function writeOf(parsed: unknown): EntryWrite | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { value, valueType, metadata } = parsed as Record<string, unknown>;
  if (typeof valueType !== 'string') return undefined;
  return { value, valueType: valueType as ValueType, metadata: (metadata ?? undefined) as Record<string, unknown> | undefined };
}

/** Differences between an entry in an answer and the model's state of it. */
function entryDifferences(
  item: unknown,
  key: string,
  expected: { value: unknown; valueType: string; metadata: unknown; version: number },
  secret: boolean,
): string[] {
  const entry = item as Record<string, unknown> | undefined;
  if (typeof entry !== 'object' || entry === null) return ['the answer holds no entry'];
  const differences: string[] = [];
  if (entry.keyPath !== key) differences.push(`keyPath ${JSON.stringify(entry.keyPath)}, not ${JSON.stringify(key)}`);
  if (entry.version !== expected.version) differences.push(`version ${String(entry.version)}, not ${expected.version}`);
  if (entry.valueType !== expected.valueType) differences.push(`valueType ${String(entry.valueType)}, not ${expected.valueType}`);
  if (!sameJson(entry.value, expected.value))
    differences.push(
      secret
        ? 'the value differs from the one written (withheld: secret)'
        : `value ${JSON.stringify(entry.value)?.slice(0, 100)}, not ${JSON.stringify(expected.value)?.slice(0, 100)}`,
    );
  if (!sameJson(entry.metadata ?? null, expected.metadata ?? null)) differences.push('metadata differs from the one written');
  return differences;
}

// ---------------------------------------------------------------------------------------------
// The bystander: well-formed calls throughout, each of which must leave its record in the trail

interface BystanderCall {
  requestId: string;
  what: string;
  status: number;
}

const bystander = { calls: [] as BystanderCall[], running: false, done: Promise.resolve() };

async function runBystander(): Promise<void> {
  const token = tokens.bystander;
  const application = `fuzz-bystander-${tag}`;
  const call = async (what: string, method: string, path: string, json?: unknown) => {
    const requestId = `bystander-${bystander.calls.length}-${tag}`;
    const response = await send(
      url,
      request(method, path, { token, tokenLabel: `${BYSTANDER} token`, json, headers: { 'x-request-id': requestId } }),
      'check',
    ).catch(() => undefined);
    bystander.calls.push({ requestId, what, status: response?.status ?? 0 });
  };
  const created: string[] = [];
  for (const isSecretNamespace of [false, true]) {
    const requestId = `bystander-create-${isSecretNamespace}-${tag}`;
    const response = await send(
      url,
      request('POST', '/namespaces', {
        token,
        json: { name: `bystander-${isSecretNamespace}`, applicationId: application, isSecretNamespace },
        headers: { 'x-request-id': requestId },
      }),
      'check',
    );
    bystander.calls.push({ requestId, what: 'create namespace', status: response.status });
    created.push((response.json as { id: string }).id);
  }
  const [plain, secret] = created;
  for (let i = 0; bystander.running; i++) {
    const key = `b/${i % 20}`;
    switch (i % 7) {
      case 0:
        await call('put entry', 'PUT', `/${plain}/entries/${key}`, { value: i, valueType: 'NUMBER' });
        break;
      case 1:
        await call('get entry', 'GET', `/${plain}/entries/b/0`);
        break;
      case 2:
        await call('list entries', 'GET', `/${plain}/entries?prefix=b/&limit=5`);
        break;
      case 3:
        await call('list namespaces', 'GET', `/namespaces?applicationId=${application}`);
        break;
      case 4:
        await call('bulk get', 'POST', `/${plain}/bulk/get`, { keys: ['b/0', 'b/1', 'b/404'] });
        break;
      case 5:
        await call('put secret', 'PUT', `/${secret}/entries/s`, { value: `bystander-secret-${i}`, valueType: 'STRING' });
        break;
      default:
        await call('get secret', 'GET', `/${secret}/entries/s`);
        break;
    }
    await sleep(40);
  }
}

// ---------------------------------------------------------------------------------------------
// The suite

describe('fuzz: hostile input against every route (issue 17, item 10)', () => {
  beforeAll(async () => {
    startedAt = Date.now();
    const started = startedAt;
    // A platform of its own: a rate limit that never answers the suite's principals 429, small size
    // limits so that 413s are cheap to provoke, and an audit trail no other test writes to or tampers with.
    platform = await TestPlatform.start({
      KV_RATE_LIMIT_REQUESTS: '1000000000',
      KV_LOG_LEVEL: 'info',
      KV_MAX_VALUE_BYTES: '65536',
      KV_MAX_BODY_BYTES: '262144',
    });
    url = platform.state.gatewayUrl;
    jwtSecret = platform.state.jwtSecret;
    const mint = (sub: string, permissions: string[], apps: string[] = ['*']) =>
      mintToken({ secret: jwtSecret, sub, permissions, apps, ttlSeconds: 6 * 3600 });
    tokens.admin = await mint(ADMIN, ['*']);
    tokens.auditor = await mint(AUDITOR, ['kv-audit:read']);
    tokens.noAudit = await mint('fuzz-no-audit', ['kv-entry:*', 'kv-namespace:*']);
    tokens.oneAppAuditor = await mint('fuzz-one-app-auditor', ['kv-audit:read'], [POOL_APP]);
    tokens.bystander = await mint(BYSTANDER, ['*'], [`fuzz-bystander-${tag}`]);
    databases = await Databases.connect(platform.state.databaseUrls);
    oracle = new StateOracle(url, tokens.admin, databases);
    for (let i = 0; i < POOL_SIZE; i++) {
      await poolNamespace('plain', i);
      await poolNamespace('secret', i);
    }
    await setupTokenFamily();
    bystander.running = true;
    bystander.done = runBystander();
    console.log(
      `[fuzz] seed ${SEED}, ${RUNS} generated requests planned (set KV_FUZZ_SEED, KV_FUZZ_RUNS to change); ` +
        `platform ${platform.state.runId} up in ${Date.now() - started} ms, logs in ${platform.state.logDir}`,
    );
  }, 240_000);

  afterAll(async () => {
    bystander.running = false;
    await bystander.done.catch(() => undefined);
    const lines = outcomes.map((outcome) => {
      const count = kinds.get(outcome.name);
      return `  ${outcome.name}: ${outcome.runs} runs, ${outcome.failures.length} distinct failure(s); cases sent (shrinking included): ${count?.succeeds ?? 0} well-formed, ${count?.refused ?? 0} to refuse, ${count?.either ?? 0} left open`;
    });
    console.log(
      `[fuzz] seed ${SEED}: ${stats.generated} generated requests (and ${stats.shrinking} more while shrinking failures), ` +
        `${stats.checks} requests of the suite's own (setup, read-backs), ${Math.round((Date.now() - startedAt) / 1000)} s\n${lines.join('\n')}`,
    );
    await databases?.end();
    await platform?.stop();
  }, 120_000);

  async function property<T>(family: Family, arbitrary: fc.Arbitrary<Spec<T>>, check: (spec: T) => Promise<void>): Promise<void> {
    currentFamily = family;
    const outcome = await runProperty({
      name: family,
      arbitrary,
      runs: runsOf(family),
      seed: seedOf(family),
      check: (spec) => check(spec.data),
    });
    outcomes.push(outcome);
    if (outcome.failures.length > 0) throw new Error(failureReport(outcome));
  }

  it('fuzzes every route the gateway documents (a new route must join a family here)', async () => {
    const response = await setup('GET', '/openapi.json', {}, 200);
    const documented = Object.entries((response.json as { paths: Record<string, object> }).paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(API_PREFIX, '')}`))
      .sort();
    expect(documented).toEqual([...FUZZED_ROUTES].sort());
  });

  // ---------------------------------------------------------------------------------------------
  // Health, the API documents and the web console: public, and must stay up whatever comes with the request

  it(
    'public routes: health, the API documents and the web console',
    () =>
      property(
        'public',
        fc
          .record({
            route: fc.constantFrom('/health/live', '/health/ready', '/openapi.json', '/swagger-ui', '/ui/', '/ui/namespaces'),
            method: fc.oneof(
              { weight: 8, arbitrary: fc.constant('GET') },
              { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', 'DELETE') },
            ),
            query: maybe(
              fc.array(fc.tuple(wellFormedText({ minLength: 1, maxLength: 6 }), fc.oneof(wellFormedText(), textBreakingTheRule())), {
                minLength: 1,
                maxLength: 3,
              }),
              0.25,
            ),
            authorization: fc.oneof(
              { weight: 3, arbitrary: fc.constant(undefined) },
              { weight: 3, arbitrary: fc.constant('admin' as const) },
              { weight: 1, arbitrary: fc.constant('garbage' as const) },
            ),
            noise: harmlessHeaders,
          })
          .map((data) => new Spec(data, false)),
        async ({ route, method, query, authorization, noise }) => {
          const headers = { ...noise, ...(authorization === 'garbage' ? { authorization: 'Bearer not.a.token' } : {}) };
          const outgoing = request(method, `${route}${query ? queryString(query) : ''}`, {
            headers,
            ...(authorization === 'admin' ? asAdmin() : {}),
          });
          // A query or a token on a public route is the caller's business: it may be ignored or refused, never fail.
          const plain = method === 'GET' && query === undefined && authorization !== 'garbage';
          const expectation = method === 'POST' || method === 'DELETE' ? refused([404, 405]) : plain ? succeeds(200) : either;
          const label = `${method} ${route}${query ? ', with a query' : ''}${authorization === 'garbage' ? ', with a bad token' : ''}`;
          const response = await exchange({ label, group: `${method} ${route}`, request: outgoing, expect: expectation });
          if (plain && route === '/openapi.json' && typeof (response.json as { paths?: unknown } | undefined)?.paths !== 'object')
            throw answerDiffers(`${method} ${route}`, outgoing, response, 'no paths in the OpenAPI document');
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Tokens: hostile claims and spellings, against read routes of every family and one write

  let tokenNamespace: NamespaceModel;
  let tokenSecretNamespace: NamespaceModel;

  async function setupTokenFamily(): Promise<void> {
    tokenNamespace = await createNamespace({ applicationId: `fuzz-tokens-${tag}`, isSecretNamespace: false });
    tokenSecretNamespace = await createNamespace({ applicationId: `fuzz-tokens-${tag}`, isSecretNamespace: true });
    await setup('PUT', `/${tokenNamespace.id}/entries/k`, asAdmin({ json: { value: 'v', valueType: 'STRING' } }), 201);
    tokenNamespace.write('k', { value: 'v', valueType: 'STRING' });
    await setup(
      'PUT',
      `/${tokenSecretNamespace.id}/entries/s`,
      asAdmin({ json: { value: 'token-family-secret', valueType: 'STRING' }, secret: true }),
      201,
    );
    tokenSecretNamespace.write('s', { value: 'token-family-secret', valueType: 'STRING' });
    rememberSecret('token-family-secret');
  }

  /** The routes a token is tried on: reads of every family, a secret read, and a write. */
  const TOKEN_ROUTES = [
    'list namespaces',
    'get namespace',
    'list entries',
    'get entry',
    'bulk get',
    'get secret',
    'list audit',
    'whoami',
    'put entry',
  ] as const;

  it(
    'tokens: hostile claims and non-canonical spellings are 401, well-formed tokens work',
    () =>
      property(
        'tokens',
        fc
          .record({
            token: tokenPlan,
            shown: presentation,
            route: fc.constantFrom(...TOKEN_ROUTES),
            slot: fc.nat(9),
            noise: harmlessHeaders,
          })
          .map((data) => new Spec(data, false)),
        async ({ token, shown, route, slot, noise }) => {
          const crafted = craftToken(token, jwtSecret);
          const authorization = shown.header(crafted);
          const headers: Record<string, string> = { ...noise, ...(authorization === undefined ? {} : { authorization }) };
          const ns = tokenNamespace.id;
          const key = `token/${slot}`;
          const before = tokenNamespace.entries.get(key);
          const targets: Record<(typeof TOKEN_ROUTES)[number], { method: string; path: string; json?: unknown; ok: number }> = {
            'list namespaces': { method: 'GET', path: '/namespaces?limit=5', ok: 200 },
            'get namespace': { method: 'GET', path: `/namespaces/${ns}`, ok: 200 },
            'list entries': { method: 'GET', path: `/${ns}/entries?limit=5`, ok: 200 },
            'get entry': { method: 'GET', path: `/${ns}/entries/k`, ok: 200 },
            'bulk get': { method: 'POST', path: `/${ns}/bulk/get`, json: { keys: ['k', 'absent'] }, ok: 200 },
            'get secret': { method: 'GET', path: `/${tokenSecretNamespace.id}/entries/s`, ok: 200 },
            'list audit': { method: 'GET', path: '/audit?limit=3', ok: 200 },
            whoami: { method: 'GET', path: '/whoami', ok: 200 },
            'put entry': {
              method: 'PUT',
              path: `/${ns}/entries/${key}`,
              json: { value: slot, valueType: 'NUMBER' },
              ok: before ? 200 : 201,
            },
          };
          const target = targets[route];
          const path = shown.query ? `${target.path}${target.path.includes('?') ? '&' : '?'}${shown.query(crafted)}` : target.path;
          const outgoing = request(target.method, path, { headers, json: target.json, secret: route === 'get secret' });
          outgoing.tokenLabel = `token ${token.label}, presented as ${shown.label}`;
          const verdict = verdictOf(token, shown);
          const label = `${target.method} ${route} with a token: ${token.label} (${shown.label})`;
          // An oversized token may be refused by the HTTP server (431) before the gateway sees it.
          const expectation =
            verdict === 'accepted' ? succeeds(target.ok) : verdict === 'refused' ? refused(401, 'UNAUTHENTICATED') : either;
          await exchange({
            label,
            // One failure per kind of token (and way of presenting it, when that alone is refused), whatever the route.
            group: `token: ${token.label}${shown.verdict === 'refused' ? `, presented ${shown.label}` : ''}`,
            request: outgoing,
            expect: expectation,
            after:
              route === 'put entry'
                ? async (response) => {
                    if (isSuccess(response)) tokenNamespace.write(key, { value: slot, valueType: 'NUMBER' });
                    await oracle.verifyEntries(tokenNamespace, [key], { label, request: outgoing, response }, isSuccess(response));
                    if (tokenNamespace.retired)
                      tokenNamespace = await createNamespace({ applicationId: `fuzz-tokens-${tag}`, isSecretNamespace: false });
                  }
                : undefined,
          });
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Namespaces: create, get, update, delete and list, in applications of this family's own

  const NAMESPACE_APPS = ['a', 'b', 'c'].map((letter) => `fuzz-ns-${tag}-${letter}`);
  const namespacesOf = new Map<string, Map<string, NamespaceFields>>(NAMESPACE_APPS.map((app) => [app, new Map()]));
  const allFamilyNamespaces = () => [...namespacesOf.values()].flatMap((byId) => [...byId.values()]);

  const namespaceName = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._-]{1,63}$/),
    fc.constantFrom('config', 'prod', 'a', '...', '-', 'A'.repeat(63)),
  );

  interface NamespaceInputSpec {
    name: string;
    description?: string;
    isSecretNamespace?: boolean;
    defaultTtlSeconds?: number;
    maxSecretVersions?: number;
  }

  const wellFormedNamespaceInput: fc.Arbitrary<NamespaceInputSpec> = fc
    .record(
      {
        name: namespaceName,
        description: fc.oneof(
          wellFormedText({ maxLength: 80 }),
          fc.constant('d'.repeat(1024)),
          wellFormedText({ minLength: 1, maxLength: 6 }).map((text) => atMostUnits(text.repeat(200), 1024)),
        ),
        isSecretNamespace: fc.boolean(),
        defaultTtlSeconds: fc.integer({ min: 1, max: MAX_TTL_SECONDS }),
        maxSecretVersions: fc.integer({ min: 1, max: 10_000 }),
      },
      { requiredKeys: ['name'] },
    )
    // A version cap belongs to secret namespaces only (VALIDATION_FAILED on a plain one).
    .map((input) =>
      input.isSecretNamespace ? input : (without(input as Record<string, unknown>, 'maxSecretVersions') as unknown as NamespaceInputSpec),
    );

  /** One defect of a namespace body's fields, with the error the contract names for it. */
  const namespaceInputDefect: fc.Arbitrary<BodyDefect> = fc.oneof(
    textBreakingTheRule(fc.constantFrom('', 'ns')).map(
      (name) =>
        new BodyDefect('name breaks the text rule', badRequest('VALIDATION_FAILED', 'INVALID_TEXT'), name, (body) => ({ ...body, name })),
    ),
    fc
      .constantFrom<unknown>('', ' ', 'a b', 'a/b', 'ü', '\u202ename', 'n'.repeat(64), 5, null, ['ns'])
      .map(
        (name) =>
          new BodyDefect('name outside the pattern', badRequest('VALIDATION_FAILED', 'INVALID_TEXT'), name, (body) => ({ ...body, name })),
      ),
    textBreakingTheRule().map(
      (description) =>
        new BodyDefect('description breaks the text rule', badRequest('INVALID_TEXT'), description, (body) => ({ ...body, description })),
    ),
    fc.constantFrom<unknown>('d'.repeat(1025), 5, ['d'], { d: 1 }).map(
      (description) =>
        new BodyDefect('description too long or not a string', badRequest('VALIDATION_FAILED'), description, (body) => ({
          ...body,
          description,
        })),
    ),
    fc.constantFrom<unknown>('true', 1, 0, 'yes').map(
      (isSecretNamespace) =>
        new BodyDefect('isSecretNamespace not a boolean', badRequest('VALIDATION_FAILED'), isSecretNamespace, (body) => ({
          ...body,
          isSecretNamespace,
        })),
    ),
    fc.oneof(fc.constantFrom<unknown>(0, -1, 1.5, '60', MAX_TTL_SECONDS + 1, true), hostileNumberText).map(
      (ttl) =>
        new BodyDefect('defaultTtlSeconds out of range', badRequest('VALIDATION_FAILED'), ttl, (body) => ({
          ...body,
          defaultTtlSeconds: ttl,
        })),
    ),
    fc.constantFrom<unknown>(0, 10_001, 1.5, '3', -2).map(
      (cap) =>
        new BodyDefect('maxSecretVersions out of range', badRequest('VALIDATION_FAILED'), cap, (body) => ({
          ...body,
          maxSecretVersions: cap,
        })),
    ),
    // A cap a plain namespace cannot have (the kind is left as the body has it: an update cannot change it).
    fc.constant(
      new BodyDefect('a version cap on a plain namespace', badRequest('VALIDATION_FAILED'), undefined, (body) =>
        body.isSecretNamespace === true ? { ...body, maxSecretVersions: 0 } : { ...body, maxSecretVersions: 5 },
      ),
    ),
    fc
      .constantFrom('name', 'applicationId')
      .map((name) => new BodyDefect(`${name} missing`, badRequest('VALIDATION_FAILED'), undefined, (body) => without(body, name))),
  );

  const namespaceBodyDefect = fc.oneof(
    { weight: 3, arbitrary: namespaceInputDefect },
    { weight: 2, arbitrary: sharedBodyDefects((body, nested) => ({ ...body, description: nested })) },
  );

  /** Which family namespace an operation targets, and how its id is spelled. */
  const targetChoice = fc.record({
    index: fc.nat(),
    alias: fc.oneof(
      { weight: 6, arbitrary: fc.constant('as-is' as const) },
      { weight: 1, arbitrary: fc.constantFrom('upper-case' as const, 'unknown' as const, 'not-a-uuid' as const) },
    ),
  });

  const namespaceOperation = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('create' as const),
        app: fc.nat(NAMESPACE_APPS.length - 1),
        input: wellFormedNamespaceInput,
        defect: maybe(namespaceBodyDefect, 0.5),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('update' as const),
        target: targetChoice,
        input: wellFormedNamespaceInput,
        keepName: fc.boolean(),
        change: fc.constantFrom('none', 'none', 'none', 'kind', 'application', 'name taken'),
        defect: maybe(namespaceBodyDefect, 0.4),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), target: targetChoice }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), target: targetChoice }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('list' as const),
        app: fc.nat(NAMESPACE_APPS.length - 1),
        limit: fc.integer({ min: 1, max: 4 }),
        defect: maybe(pageQueryDefect('applicationId'), 0.4),
      }),
    },
  );

  function familyTarget(choice: { index: number; alias: 'as-is' | 'upper-case' | 'unknown' | 'not-a-uuid' }): {
    fields?: NamespaceFields;
    id: string;
  } {
    const all = allFamilyNamespaces();
    const fields =
      all.length > 0 && (choice.alias === 'as-is' || choice.alias === 'upper-case') ? all[choice.index % all.length] : undefined;
    if (!fields) return { id: choice.alias === 'not-a-uuid' ? 'not-a-namespace' : UNKNOWN_NAMESPACE };
    return { fields, id: choice.alias === 'upper-case' ? fields.id.toUpperCase() : fields.id };
  }

  it(
    'namespaces: create, get, update, delete and list',
    () =>
      property(
        'namespaces',
        namespaceOperation.map((data) => new Spec(data, false)),
        async (operation) => {
          switch (operation.op) {
            case 'create': {
              const applicationId = NAMESPACE_APPS[operation.app];
              const models = namespacesOf.get(applicationId)!;
              const body: Record<string, unknown> = { ...operation.input, applicationId };
              const defect = operation.defect;
              const wire = defect ? defect.wire(body) : asJson(body);
              const outgoing = request('POST', '/namespaces', asAdmin({ wire }));
              const taken = [...models.values()].some((fields) => fields.name === operation.input.name);
              const label = defect ? `POST namespace: ${defect.label}` : `POST namespace${taken ? ' with a name taken' : ''}`;
              await exchange({
                label,
                group: 'POST namespace',
                request: outgoing,
                expect: defect ? defect.expect : taken ? refused(409, 'NAMESPACE_EXISTS') : succeeds(201),
                after: async (response) => {
                  let touched: string | undefined;
                  if (isSuccess(response)) {
                    const created = namespaceFieldsOf(response.json);
                    touched = created.id;
                    if (created.applicationId === applicationId) models.set(created.id, created);
                    const expected = {
                      ...created,
                      name: operation.input.name,
                      description: operation.input.description ?? null,
                      isSecretNamespace: operation.input.isSecretNamespace ?? false,
                      defaultTtlSeconds: operation.input.defaultTtlSeconds ?? null,
                      maxSecretVersions: operation.input.maxSecretVersions ?? null,
                    };
                    if (!defect && !sameJson(created, expected))
                      throw answerDiffers(
                        label,
                        outgoing,
                        response,
                        `created ${JSON.stringify(created)}, asked for ${JSON.stringify(expected)}`,
                      );
                  }
                  await oracle.verifyNamespaces(
                    applicationId,
                    models,
                    touched,
                    { label, request: outgoing, response },
                    isSuccess(response),
                  );
                },
              });
              return;
            }
            case 'update': {
              const { fields, id } = familyTarget(operation.target);
              const applicationId = fields?.applicationId ?? NAMESPACE_APPS[0];
              const models = namespacesOf.get(applicationId)!;
              const others = [...models.values()].filter((other) => other.id !== fields?.id);
              const change = operation.defect ? 'none' : operation.change;
              const name =
                change === 'name taken' && others.length > 0
                  ? others[operation.target.index % others.length].name
                  : operation.keepName && fields
                    ? fields.name
                    : operation.input.name;
              const body: Record<string, unknown> = {
                ...operation.input,
                name,
                applicationId:
                  change === 'application'
                    ? NAMESPACE_APPS[(NAMESPACE_APPS.indexOf(applicationId) + 1) % NAMESPACE_APPS.length]
                    : applicationId,
                isSecretNamespace: change === 'kind' ? !fields?.isSecretNamespace : (fields?.isSecretNamespace ?? false),
              };
              if (!body.isSecretNamespace) delete body.maxSecretVersions;
              const defect = operation.defect;
              const wire = defect ? defect.wire(body) : asJson(body);
              const outgoing = request('PUT', `/namespaces/${id}`, asAdmin({ wire }));
              const nameTaken = others.some((other) => other.name === name);
              const label = !fields
                ? `PUT namespace ${operation.target.alias}`
                : defect
                  ? `PUT namespace: ${defect.label}`
                  : change === 'kind' || change === 'application'
                    ? `PUT namespace, changing its ${change}`
                    : nameTaken
                      ? 'PUT namespace with a name taken'
                      : 'PUT namespace';
              const expectation: Expectation = !fields
                ? defect
                  ? either
                  : refused(404, 'NAMESPACE_NOT_FOUND')
                : defect
                  ? defect.expect
                  : change === 'kind'
                    ? badRequest('NAMESPACE_KIND_IMMUTABLE')
                    : change === 'application'
                      ? badRequest('APPLICATION_IMMUTABLE')
                      : nameTaken
                        ? refused(409, 'NAMESPACE_EXISTS')
                        : succeeds(200);
              await exchange({
                label,
                group: 'PUT namespace',
                request: outgoing,
                expect: expectation,
                after: async (response) => {
                  if (!fields) return;
                  if (isSuccess(response)) {
                    const updated = namespaceFieldsOf(response.json);
                    const expected: NamespaceFields = {
                      ...fields,
                      name,
                      description: operation.input.description ?? null,
                      defaultTtlSeconds: operation.input.defaultTtlSeconds ?? null,
                      maxSecretVersions: fields.isSecretNamespace ? (operation.input.maxSecretVersions ?? null) : null,
                    };
                    models.set(fields.id, updated);
                    if (!defect && !sameJson(updated, expected))
                      throw answerDiffers(
                        label,
                        outgoing,
                        response,
                        `updated to ${JSON.stringify(updated)}, asked for ${JSON.stringify(expected)}`,
                      );
                  }
                  await oracle.verifyNamespaces(
                    applicationId,
                    models,
                    fields.id,
                    { label, request: outgoing, response },
                    isSuccess(response),
                  );
                },
              });
              return;
            }
            case 'get': {
              const { fields, id } = familyTarget(operation.target);
              const outgoing = request('GET', `/namespaces/${id}`, asAdmin());
              const label = `GET namespace ${operation.target.alias}`;
              const response = await exchange({
                label,
                group: 'GET namespace',
                request: outgoing,
                expect: fields ? succeeds(200) : refused(404, 'NAMESPACE_NOT_FOUND'),
              });
              if (fields && !sameJson(namespaceFieldsOf(response.json), fields))
                throw answerDiffers(label, outgoing, response, `expected ${JSON.stringify(fields)}`);
              return;
            }
            case 'delete': {
              const { fields, id } = familyTarget(operation.target);
              const outgoing = request('DELETE', `/namespaces/${id}`, asAdmin());
              const label = `DELETE namespace ${operation.target.alias}`;
              await exchange({
                label,
                group: 'DELETE namespace',
                request: outgoing,
                expect: fields ? succeeds(204) : refused(404, 'NAMESPACE_NOT_FOUND'),
                after: async (response) => {
                  if (!fields) return;
                  const models = namespacesOf.get(fields.applicationId)!;
                  if (isSuccess(response)) models.delete(fields.id);
                  await oracle.verifyNamespaces(
                    fields.applicationId,
                    models,
                    fields.id,
                    { label, request: outgoing, response },
                    isSuccess(response),
                  );
                },
              });
              return;
            }
            case 'list': {
              const applicationId = NAMESPACE_APPS[operation.app];
              const defect = operation.defect;
              const wellFormed: Array<readonly [string, string]> = [
                ['applicationId', applicationId],
                ['limit', String(operation.limit)],
              ];
              const outgoing = request('GET', `/namespaces${queryString(defect ? defect.applyTo(wellFormed) : wellFormed)}`, asAdmin());
              const label = defect ? `GET namespaces: ${defect.label}` : 'GET namespaces of an application';
              const response = await exchange({
                label,
                group: 'GET namespaces',
                request: outgoing,
                expect: defect ? defect.expect : succeeds(200),
              });
              if (defect) return;
              const listed = await pageThrough(response, (cursor) => `/namespaces${queryString([...wellFormed, ['cursor', cursor]])}`);
              const expected = [...namespacesOf.get(applicationId)!.values()];
              const ids = listed.map((item) => (item as NamespaceFields).id);
              if (new Set(ids).size !== ids.length || !sameJson([...ids].sort(), expected.map((fields) => fields.id).sort())) {
                throw answerDiffers(
                  label,
                  outgoing,
                  response,
                  `listed ${ids.length} namespaces (${new Set(ids).size} distinct), the model holds ${expected.length}`,
                );
              }
              return;
            }
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  /**
   * Follows `nextCursor` (the suite's own requests), returning every item of every page; `maxPages`
   * must exceed what the model predicts, so that a listing that never ends is caught, not truncated.
   */
  async function pageThrough(
    first: FuzzResponse,
    next: (cursor: string) => string,
    token = tokens.admin,
    maxPages = 1000,
    folders?: string[],
  ): Promise<unknown[]> {
    const items: unknown[] = [...((first.json as { items?: unknown[] }).items ?? [])];
    folders?.push(...((first.json as { folders?: string[] }).folders ?? []));
    let cursor = (first.json as { nextCursor?: string | null }).nextCursor;
    for (let page = 0; cursor && page < maxPages; page++) {
      const response = await setup('GET', next(cursor), { token, tokenLabel: 'token' }, 200);
      items.push(...((response.json as { items: unknown[] }).items ?? []));
      folders?.push(...((response.json as { folders?: string[] }).folders ?? []));
      cursor = (response.json as { nextCursor?: string | null }).nextCursor;
    }
    return items;
  }

  // ---------------------------------------------------------------------------------------------
  // Entries: GET, PUT and DELETE of one entry, in plain and secret namespaces

  const putCondition = fc.constantFrom('none', 'none', 'none', 'expectedVersion', 'if-match', 'zero', 'stale');

  const entryOperation = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('put' as const),
        ns: namespaceChoice(),
        key: fc.oneof(
          { weight: 8, arbitrary: keyChoice.map((choice) => ({ choice })) },
          { weight: 1, arbitrary: hostileKeyPath.map((hostile) => ({ hostile })) },
        ),
        write: wellFormedWrite,
        mediaType: jsonMediaType,
        condition: putCondition,
        staleBy: fc.integer({ min: 1, max: 5 }),
        ifMatch: fc.constantFrom('"abc"', 'W/"1"', '"1", "2"', '"99999999999999999999"', '1.5'),
        defect: maybe(
          fc.oneof(
            { weight: 3, arbitrary: entryWriteDefect },
            { weight: 2, arbitrary: sharedBodyDefects((body, nested) => ({ ...body, valueType: 'JSON', value: nested })) },
            { weight: 1, arbitrary: fc.constant(new BodyDefect('If-Match not a version', badRequest('VALIDATION_FAILED'))) },
          ),
          0.5,
        ),
        noise: harmlessHeaders,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('get' as const),
        ns: namespaceChoice(),
        key: fc.oneof(
          { weight: 8, arbitrary: keyChoice.map((choice) => ({ choice })) },
          { weight: 1, arbitrary: hostileKeyPath.map((hostile) => ({ hostile })) },
        ),
        cacheControl: maybe(
          fc.constantFrom(
            'max-age=60',
            'max-age=1',
            'max-age=0',
            'no-cache',
            'no-store',
            'max-age=abc',
            'max-age=99999999999',
            'private, max-age=5',
            headerBytes('max-age=6\u202e0'),
          ),
          0.4,
        ),
        ifNoneMatch: maybe(fc.constantFrom('current', 'other', '*', 'garbage'), 0.25),
        noise: harmlessHeaders,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('delete' as const),
        ns: namespaceChoice(),
        key: fc.oneof(
          { weight: 8, arbitrary: keyChoice.map((choice) => ({ choice })) },
          { weight: 1, arbitrary: hostileKeyPath.map((hostile) => ({ hostile })) },
        ),
        noise: harmlessHeaders,
      }),
    },
  );

  it(
    'entries: GET, PUT and DELETE of one entry',
    () =>
      property(
        'entries',
        entryOperation.map((data) => new Spec(data, data.ns.kind === 'secret')),
        async (operation) => {
          const namespace = await poolNamespace(operation.ns.kind, operation.ns.index);
          // One defect at a time: a namespace that is not there goes with a well-formed key.
          const hostile = 'hostile' in operation.key && namesNamespace(operation.ns) ? operation.key.hostile : undefined;
          const key = hostile
            ? hostile.key
            : resolveKey(namespace, 'choice' in operation.key ? operation.key.choice : { existing: true, index: 0, fresh: 'k' });
          const nsInUrl = namespaceInUrl(namespace, operation.ns);
          const before = hostile ? undefined : namespace.entries.get(key);
          const secret = namespace.isSecret;
          const where = `${secret ? 'secret' : 'plain'} namespace`;
          switch (operation.op) {
            case 'put': {
              // One defect at a time: an unknown namespace or a hostile key goes with a well-formed body.
              const defect = namesNamespace(operation.ns) && !hostile ? operation.defect : undefined;
              const condition = defect ? 'none' : operation.condition;
              const body: Record<string, unknown> = { ...operation.write };
              const headers: Record<string, string> = { ...operation.noise };
              if (condition === 'expectedVersion') body.expectedVersion = before?.version ?? 0;
              if (condition === 'if-match') headers['if-match'] = `"${before?.version ?? 0}"`;
              if (condition === 'zero') body.expectedVersion = 0;
              if (condition === 'stale') body.expectedVersion = (before?.version ?? 0) + operation.staleBy;
              if (defect?.label === 'If-Match not a version') headers['if-match'] = operation.ifMatch;
              const wire = defect ? defect.wire(body) : asJson(body, operation.mediaType);
              if (secret) rememberSecret(operation.write.value);
              const outgoing = request('PUT', entryPath(nsInUrl, key), asAdmin({ wire, headers, secret }));
              const label = !namesNamespace(operation.ns)
                ? `PUT entry, namespace ${operation.ns.alias}`
                : hostile
                  ? `PUT entry, key ${hostile.defect}`
                  : defect
                    ? `PUT entry in a ${where}: ${defect.label}`
                    : `PUT entry in a ${where}${condition === 'none' ? '' : `, condition ${condition}`}`;
              const expectation: Expectation = !namesNamespace(operation.ns)
                ? noSuchNamespace(operation.ns)
                : hostile
                  ? urlKeyExpectation(hostile)
                  : defect
                    ? defect.expect
                    : condition === 'stale' || (condition === 'zero' && before)
                      ? refused(409, 'VERSION_CONFLICT')
                      : succeeds(before ? 200 : 201);
              await exchange({
                label,
                group: 'PUT entry',
                request: outgoing,
                expect: expectation,
                after: async (response) => {
                  if (!namesNamespace(operation.ns)) return;
                  const differences: string[] = [];
                  if (isSuccess(response) && !hostile) {
                    const write = writeOf(wire.parsed);
                    if (write) {
                      const state = namespace.write(key, write);
                      if (!defect) differences.push(...entryDifferences(response.json, key, state, secret));
                      if (!defect && response.headers.etag !== `"${state.version}"`)
                        differences.push(`ETag ${JSON.stringify(response.headers.etag)}, not "${state.version}"`);
                    } else namespace.retired = true;
                  }
                  await oracle.verifyEntries(namespace, hostile ? [] : [key], { label, request: outgoing, response }, isSuccess(response));
                  if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
                },
              });
              return;
            }
            case 'get': {
              const conditional: Record<string, string> =
                operation.ifNoneMatch === undefined
                  ? {}
                  : {
                      'if-none-match':
                        operation.ifNoneMatch === 'current'
                          ? `"${before?.version ?? 1}"`
                          : operation.ifNoneMatch === 'other'
                            ? `"${(before?.version ?? 0) + 7}"`
                            : operation.ifNoneMatch,
                    };
              const headers = {
                ...operation.noise,
                ...conditional,
                ...(operation.cacheControl === undefined ? {} : { 'cache-control': operation.cacheControl }),
              };
              const outgoing = request('GET', entryPath(nsInUrl, key), asAdmin({ headers, secret }));
              // `{key}/versions` is a secret's history, not a key: a GET of such a "key" is another route.
              const isHistory = hostile?.key.endsWith('/versions') ?? false;
              const label = !namesNamespace(operation.ns)
                ? `GET entry, namespace ${operation.ns.alias}`
                : hostile
                  ? `GET entry, key ${hostile.defect}`
                  : `GET entry in a ${where}${operation.ifNoneMatch ? `, If-None-Match ${operation.ifNoneMatch}` : ''}`;
              const expectation: Expectation = !namesNamespace(operation.ns)
                ? noSuchNamespace(operation.ns)
                : hostile
                  ? isHistory
                    ? either
                    : urlKeyExpectation(hostile)
                  : !before
                    ? refused(404, 'ENTRY_NOT_FOUND')
                    : // Issue 17, item 9: the current ETag in If-None-Match is answered 304 Not Modified.
                      operation.ifNoneMatch === 'current'
                      ? succeeds(304)
                      : operation.ifNoneMatch === '*'
                        ? either
                        : succeeds(200);
              const response = await exchange({ label, group: 'GET entry', request: outgoing, expect: expectation });
              if (before && response.status === 200 && !hostile && namesNamespace(operation.ns)) {
                const differences = entryDifferences(response.json, key, before, secret);
                if (response.headers.etag !== `"${before.version}"`)
                  differences.push(`ETag ${JSON.stringify(response.headers.etag)}, not "${before.version}"`);
                if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
              }
              return;
            }
            case 'delete': {
              const outgoing = request('DELETE', entryPath(nsInUrl, key), asAdmin({ headers: operation.noise, secret }));
              const label = !namesNamespace(operation.ns)
                ? `DELETE entry, namespace ${operation.ns.alias}`
                : hostile
                  ? `DELETE entry, key ${hostile.defect}`
                  : `DELETE entry in a ${where}`;
              await exchange({
                label,
                group: 'DELETE entry',
                request: outgoing,
                expect: !namesNamespace(operation.ns)
                  ? noSuchNamespace(operation.ns)
                  : hostile
                    ? urlKeyExpectation(hostile)
                    : before
                      ? succeeds(204)
                      : refused(404, 'ENTRY_NOT_FOUND'),
                after: async (response) => {
                  if (!namesNamespace(operation.ns)) return;
                  if (isSuccess(response) && !hostile) namespace.remove(key);
                  await oracle.verifyEntries(namespace, hostile ? [] : [key], { label, request: outgoing, response }, isSuccess(response));
                },
              });
              return;
            }
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Lists: prefixes (SQL LIKE's metacharacters included), limits and cursors

  const prefixDefect: fc.Arbitrary<QueryDefect> = fc.oneof(
    textBreakingTheRule(fc.constantFrom('', 'a', 'cfg/')).map(
      (prefix) => new QueryDefect(`prefix holds ${breakerKind(prefix)}`, inUrl(prefix, 'INVALID_KEY'), [['prefix', prefix]]),
    ),
    fc
      .integer({ min: MAX_KEY_BYTES + 1, max: 700 })
      .map(
        (length) =>
          new QueryDefect('prefix longer than a key', badRequest('VALIDATION_FAILED', 'INVALID_KEY'), [['prefix', 'p'.repeat(length)]]),
      ),
    fc.constant(new QueryDefect('prefix of 513 bytes in 171 characters', either, [['prefix', '中'.repeat(171)]])),
  );

  /** A listing with values, of keys only (`values=false`), or of one level (`values=false&delimiter=/`). */
  type ListingShape = 'values' | 'keys' | 'level';

  it(
    'lists: entries under a prefix, page by page, with values, keys only or by level',
    () =>
      property(
        'lists',
        fc
          .record({
            ns: namespaceChoice(),
            prefix: fc.oneof(
              fc.record({ ofExisting: fc.nat(), cut: fc.nat(20) }),
              fc.record({
                text: fc.oneof(wellFormedText({ maxLength: 4 }), fc.constantFrom('%', '_', '\\', 'a%', '_/', '\\%', '[a]', '*', '')),
              }),
              fc.constant(undefined),
            ),
            limit: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
            shape: fc.constantFrom<ListingShape>('values', 'values', 'keys', 'level'),
            defect: maybe(fc.oneof(prefixDefect, pageQueryDefect('prefix')), 0.4),
            rawQuery: maybe(
              fc.constantFrom(
                'prefix=%',
                'prefix=%ZZ',
                'prefix=%ED%A0%80',
                'prefix=%FF',
                'prefix=%C0%AE',
                'prefix=a+b',
                'prefix=%2B',
                '&&&',
                '=',
                'prefix',
              ),
              0.1,
            ),
            noise: harmlessHeaders,
          })
          .map((data) => new Spec(data, data.ns.kind === 'secret')),
        async (listing) => {
          const namespace = await poolNamespace(listing.ns.kind, listing.ns.index);
          const keys = namespace.keys();
          let prefix: string | undefined;
          if (listing.prefix && 'ofExisting' in listing.prefix)
            prefix = keys.length > 0 ? [...keys[listing.prefix.ofExisting % keys.length]].slice(0, listing.prefix.cut).join('') : '';
          else if (listing.prefix) prefix = listing.prefix.text;
          const wellFormed: Array<readonly [string, string]> = [
            ...(prefix === undefined ? [] : [['prefix', prefix] as const]),
            ...(listing.limit === undefined ? [] : [['limit', String(listing.limit)] as const]),
            ...(listing.shape === 'values' ? [] : [['values', 'false'] as const]),
            ...(listing.shape === 'level' ? [['delimiter', '/'] as const] : []),
          ];
          const defect = namesNamespace(listing.ns) ? listing.defect : undefined;
          const pairs = defect ? defect.applyTo(wellFormed) : wellFormed;
          const rawQuery = !defect && namesNamespace(listing.ns) ? listing.rawQuery : undefined;
          const query = rawQuery ? `?${rawQuery}` : queryString(pairs);
          const outgoing = request(
            'GET',
            `/${namespaceInUrl(namespace, listing.ns)}/entries${query}`,
            asAdmin({ headers: listing.noise, secret: namespace.isSecret }),
          );
          const where = namespace.isSecret ? 'secret' : 'plain';
          const label = !namesNamespace(listing.ns)
            ? `GET entries, namespace ${listing.ns.alias}`
            : defect
              ? `GET entries: ${defect.label}`
              : rawQuery
                ? 'GET entries with an odd query string'
                : `GET entries of a ${where} namespace`;
          const expectation = !namesNamespace(listing.ns)
            ? noSuchNamespace(listing.ns)
            : defect
              ? defect.expect
              : rawQuery
                ? either
                : succeeds(200);
          const response = await exchange({ label, group: 'GET entries', request: outgoing, expect: expectation });
          if (expectation.outcome !== 'succeeds') return;
          const next = (cursor: string) => `/${namespace.id}/entries${queryString([...wellFormed, ['cursor', cursor]])}`;
          const folders: string[] = [];
          const items = (await pageThrough(response, next, tokens.admin, 1000, folders)) as Array<Record<string, unknown>>;
          const listed = items.map((item) => item.keyPath as string);
          const under = keys.filter((key) => prefix === undefined || key.startsWith(prefix));
          // One level: the keys with no `/` after the prefix, and each deeper key's first segment as a folder.
          const start = prefix?.length ?? 0;
          const expected = listing.shape === 'level' ? under.filter((key) => !key.slice(start).includes('/')) : under;
          const expectedFolders =
            listing.shape === 'level'
              ? [
                  ...new Set(
                    under
                      .filter((key) => key.slice(start).includes('/'))
                      .map((key) => `${key.slice(0, start)}${key.slice(start).split('/')[0]}/`),
                  ),
                ]
              : [];
          const differences: string[] = [];
          if (new Set(folders).size !== folders.length) differences.push('a folder is listed twice');
          if (!sameJson([...folders].sort(), [...expectedFolders].sort()))
            differences.push(
              `listed folders ${JSON.stringify(folders.slice(0, 5))}, the model has ${JSON.stringify(expectedFolders.slice(0, 5))}`,
            );
          const folderOrder = [...folders].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
          if (!sameJson(folders, folderOrder)) differences.push('the folders are not in key order');
          if (new Set(listed).size !== listed.length) differences.push('a key is listed twice');
          if (!sameJson([...new Set(listed)].sort(), [...expected].sort())) {
            const extra = listed.filter((key) => !expected.includes(key));
            const missing = expected.filter((key) => !listed.includes(key));
            differences.push(
              `listed ${listed.length} keys, the model has ${expected.length} under ${JSON.stringify(prefix)}; extra ${JSON.stringify(extra.slice(0, 3))}, missing ${JSON.stringify(missing.slice(0, 3))}`,
            );
          }
          const byteOrder = [...listed].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
          if (!sameJson(listed, byteOrder)) differences.push('the keys are not in key order (UTF-8 byte order, as COLLATE "C")');
          for (const item of items) {
            const state = namespace.entries.get(item.keyPath as string);
            if (listing.shape !== 'values' && 'value' in item)
              differences.push(`${JSON.stringify(item.keyPath)}: a value in a keys-only listing`);
            // A keys-only item is compared as if it carried the value written: everything else must match.
            const compared = listing.shape === 'values' || !state ? item : { ...item, value: state.value };
            if (state)
              differences.push(
                ...entryDifferences(compared, item.keyPath as string, state, namespace.isSecret).map(
                  (difference) => `${JSON.stringify(item.keyPath)}: ${difference}`,
                ),
              );
          }
          if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.slice(0, 5).join('; '));
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Watch: from now, from a read's revision (in the query or in Last-Event-ID), under a prefix

  /** Where a watch starts: now, or a few revisions back from the namespace's head, as `since` or as `Last-Event-ID`. */
  type WatchStart = { from: 'now'; spelled: 'absent' | 'empty' } | { from: 'since' | 'last-event-id'; back: number };

  /** `head` moved back by `back` revisions in each of its parts, never below 0. */
  const revisionsBack = (head: string, back: number) =>
    head
      .split('.')
      .map((part) => String(Math.max(0, Number(part) - back)))
      .join('.');

  /** Revisions of neither kind: a sign, a leading zero, an exponent, hex, a dot too many or too few, past 2^53. */
  const malformedRevision = fc.constantFrom('abc', '-1', '01', '1e3', '0x10', '1.2.3', '.', '1.', '9007199254740993');

  /** A defect of where a watch starts, in `since` or in `Last-Event-ID`; a cursor's form depends on the namespace's kind. */
  interface WatchStartDefect {
    label: string;
    /** What is sent; `since` twice when two. */
    since: (head: string, secret: boolean) => string | [string, string];
    expect: (since: string) => Expectation;
    inHeader: boolean;
  }

  const watchStartDefect: fc.Arbitrary<WatchStartDefect> = fc.oneof(
    fc.tuple(malformedRevision, fc.boolean()).map(([text, inHeader]) => ({
      label: 'a malformed revision',
      since: () => text,
      expect: () => badRequest('INVALID_REVISION'),
      inHeader,
    })),
    fc.boolean().map((inHeader) => ({
      label: "the other kind of namespace's cursor",
      since: (_head: string, secret: boolean) => (secret ? '3' : '3.4'),
      expect: () => badRequest('INVALID_REVISION'),
      inHeader,
    })),
    // Far enough ahead that the bystander's writes meanwhile do not reach it.
    fc.tuple(fc.integer({ min: 10 ** 6, max: 10 ** 12 }), fc.boolean()).map(([ahead, inHeader]) => ({
      label: 'a revision ahead of the log',
      since: (head: string) =>
        head
          .split('.')
          .map((part) => String(Number(part) + ahead))
          .join('.'),
      expect: () => badRequest('INVALID_REVISION'),
      inHeader,
    })),
    fc.constant({
      label: 'since longer than 64 characters',
      since: () => '1'.repeat(65),
      expect: () => badRequest('VALIDATION_FAILED'),
      inHeader: false,
    }),
    fc.constant({
      label: 'since given twice',
      since: (head: string): [string, string] => [revisionsBack(head, 1), head],
      expect: () => badRequest('VALIDATION_FAILED'),
      inHeader: false,
    }),
    textBreakingTheRule(fc.constantFrom('', '1', '2.3')).map((text) => ({
      label: `since holds ${breakerKind(text)}`,
      since: () => text,
      expect: (since: string) => inUrl(since, 'INVALID_REVISION'),
      inHeader: false,
    })),
  );

  /** The namespace's head as a watch cursor: what a watch from now starts at. */
  async function watchHead(namespace: NamespaceModel): Promise<string> {
    const response = await setup('HEAD', `/${namespace.id}/watch`, asAdmin(), 200);
    return String(response.headers['x-kv-revision']);
  }

  it(
    'watch: from now, from a revision, under a prefix',
    () =>
      property(
        'watch',
        fc
          .record({
            ns: namespaceChoice(),
            method: fc.constantFrom('GET', 'GET', 'HEAD'),
            start: fc.oneof(
              fc.record({ from: fc.constant('now' as const), spelled: fc.constantFrom('absent' as const, 'empty' as const) }),
              fc.record({ from: fc.constantFrom('since' as const, 'last-event-id' as const), back: fc.nat(5) }),
            ) as fc.Arbitrary<WatchStart>,
            prefix: fc.option(fc.oneof(wellFormedText({ maxLength: 4 }), fc.constantFrom('%', '_', 'cfg/', '')), { nil: undefined }),
            defect: maybe(
              fc.oneof(
                watchStartDefect,
                prefixDefect.map((defect) => ({ prefix: defect })),
              ),
              0.4,
            ),
            noise: harmlessHeaders,
          })
          .map((data) => new Spec(data, data.ns.kind === 'secret')),
        async (watching) => {
          const namespace = await poolNamespace(watching.ns.kind, watching.ns.index);
          const named = namesNamespace(watching.ns);
          const head = named ? await watchHead(namespace) : '0';
          const defect = named ? watching.defect : undefined;
          const headers: Record<string, string> = { ...watching.noise };
          const pairs: Array<readonly [string, string]> = [];
          if (watching.prefix !== undefined) pairs.push(['prefix', watching.prefix]);
          const start = watching.start;
          let since: string | undefined;
          if (start.from === 'now' && start.spelled === 'empty') pairs.push(['since', '']);
          if (start.from !== 'now') {
            since = revisionsBack(head, start.back);
            if (start.from === 'since') pairs.push(['since', since]);
            else headers['last-event-id'] = since;
          }
          let expectation: Expectation = named ? succeeds(200) : noSuchNamespace(watching.ns);
          let label = named ? `${watching.method} watch of a ${namespace.isSecret ? 'secret' : 'plain'} namespace from ${start.from}` : '';
          let query = queryString(pairs);
          if (defect && 'prefix' in defect) {
            query = queryString(defect.prefix.applyTo(pairs));
            expectation = defect.prefix.expect;
            label = `${watching.method} watch: ${defect.prefix.label}`;
          } else if (defect) {
            // The defect is the only start: Last-Event-ID would win over a defective since.
            delete headers['last-event-id'];
            const others = pairs.filter(([name]) => name !== 'since');
            const sent = defect.since(head, namespace.isSecret);
            since = typeof sent === 'string' ? sent : sent.join(',');
            if (defect.inHeader) {
              headers['last-event-id'] = since;
              query = queryString(others);
            } else query = queryString([...others, ...[sent].flat().map((text) => ['since', text] as const)]);
            expectation = defect.expect(since);
            label = `${watching.method} watch: ${defect.label}${defect.inHeader ? ' in Last-Event-ID' : ''}`;
          }
          if (!named) label = `${watching.method} watch, namespace ${watching.ns.alias}`;
          // HEAD answers a refusal's status without its body, so without its code.
          if (watching.method === 'HEAD' && expectation.outcome === 'refused') expectation = refused(expectation.status);
          const outgoing = request(watching.method, `/${namespaceInUrl(namespace, watching.ns)}/watch${query}`, asAdmin({ headers }));
          const response = await exchange({ label, group: `${watching.method} watch`, request: outgoing, expect: expectation });
          if (expectation.outcome !== 'succeeds') return;
          const differences: string[] = [];
          const revision = String(response.headers['x-kv-revision']);
          if (!String(response.headers['content-type']).startsWith('text/event-stream')) differences.push('not an event stream');
          if (!(namespace.isSecret ? /^\d+\.\d+$/ : /^\d+$/).test(revision))
            differences.push(
              `X-KV-Revision ${JSON.stringify(revision)} is not a cursor of a ${namespace.isSecret ? 'secret' : 'plain'} namespace`,
            );
          else if (since !== undefined && revision !== since) differences.push(`starts at ${revision}, not at the ${since} asked for`);
          else if (since === undefined && revision.split('.').some((part, i) => Number(part) < Number(head.split('.')[i])))
            differences.push(`starts at ${revision}, before the head ${head} read just before`);
          if (watching.method === 'GET' && response.text !== `id: ${revision}\nretry: 1000\n\n`)
            differences.push(`its first frame is ${JSON.stringify(response.text.slice(0, 80))}, not its start as id`);
          if (watching.method === 'HEAD' && response.text !== '') differences.push('HEAD answered a body');
          if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Bulk: get, set and delete of up to 1000 keys; set is all or nothing

  /** A defect placed among good items: `position` picks the item (modulo their number). */
  type PlacedDefect = (position: number) => BodyDefect;
  const placed = (arbitrary: fc.Arbitrary<PlacedDefect>): fc.Arbitrary<BodyDefect> =>
    fc.tuple(fc.nat(5), arbitrary).map(([position, place]) => place(position));

  /** Defects of a bulk body's list (`keys` or `entries`) as a whole: not an array, empty, missing, or one item too many. */
  const bulkListDefects = (list: 'keys' | 'entries', notArrays: unknown[], item: (index: number) => unknown) => [
    fc.constantFrom<unknown>(...notArrays).map(
      (value): PlacedDefect =>
        () =>
          new BodyDefect(`${list} not an array`, badRequest('VALIDATION_FAILED'), value, (body) => ({ ...body, [list]: value })),
    ),
    fc.constant<PlacedDefect>(
      () => new BodyDefect(`${list} empty`, badRequest('VALIDATION_FAILED'), undefined, (body) => ({ ...body, [list]: [] })),
    ),
    fc.constant<PlacedDefect>(() => new BodyDefect(`${list} missing`, badRequest('VALIDATION_FAILED'), undefined, () => ({}))),
    fc.constant<PlacedDefect>(
      () =>
        new BodyDefect(`1001 ${list}`, badRequest('TOO_MANY_KEYS'), undefined, () => ({
          [list]: Array.from({ length: 1001 }, (_, index) => item(index)),
        })),
    ),
  ];

  /** Defects of a bulk get or delete body (`{ keys }`). */
  const bulkKeysDefect: fc.Arbitrary<BodyDefect> = placed(
    fc.oneof(
      ...bulkListDefects('keys', ['a', {}, 5, true, null], (index) => `k/${index}`),
      fc.constantFrom<unknown>(5, null, [], { k: 1 }).map(
        (item): PlacedDefect =>
          (position) =>
            new BodyDefect('a key not a string', badRequest('VALIDATION_FAILED'), { item, position }, (body) => ({
              ...body,
              keys: replaceAt(body.keys as unknown[], position, item),
            })),
      ),
      hostileKeyPath.map(
        (hostile): PlacedDefect =>
          (position) =>
            new BodyDefect(`a key: ${hostile.defect}`, badRequest('INVALID_KEY'), { key: hostile.key, position }, (body) => ({
              ...body,
              keys: replaceAt(body.keys as unknown[], position, hostile.key),
            })),
      ),
      fc.constant<PlacedDefect>(
        () =>
          new BodyDefect('a key twice', either, undefined, (body) => ({
            ...body,
            keys: [...(body.keys as unknown[]), (body.keys as unknown[])[0]],
          })),
      ),
    ),
  );

  /** Defects of a bulk set body (`{ entries }`): the defective item sits among good ones. */
  const bulkSetDefect: fc.Arbitrary<BodyDefect> = placed(
    fc.oneof(
      ...bulkListDefects('entries', ['a', {}, 5, null], (index) => ({ key: `k/${index}`, value: index, valueType: 'NUMBER' })),
      fc.constantFrom<unknown>('a', 5, null, []).map(
        (item): PlacedDefect =>
          (position) =>
            new BodyDefect('an entry not an object', badRequest('VALIDATION_FAILED'), { item, position }, (body) => ({
              ...body,
              entries: replaceAt(body.entries as unknown[], position, item),
            })),
      ),
      hostileKeyPath.map(
        (hostile): PlacedDefect =>
          (position) =>
            new BodyDefect(`an entry's key: ${hostile.defect}`, badRequest('INVALID_KEY'), { key: hostile.key, position }, (body) => ({
              ...body,
              entries: updateAt(body.entries as Array<Record<string, unknown>>, position, (item) => ({ ...item, key: hostile.key })),
            })),
      ),
      // Issue 17: these two were stored as one key, U+FFFD, with a 500.
      fc.constant<PlacedDefect>(
        () =>
          new BodyDefect('two keys that differ only in lone surrogates', badRequest('INVALID_KEY'), ['u/\ud800', 'u/\udfff'], (body) => ({
            ...body,
            entries: [
              ...(body.entries as unknown[]),
              { key: 'u/\ud800', value: 'a', valueType: 'STRING' },
              { key: 'u/\udfff', value: 'b', valueType: 'STRING' },
            ],
          })),
      ),
      fc.constantFrom<unknown>(5, null, ['k']).map(
        (key): PlacedDefect =>
          (position) =>
            new BodyDefect("an entry's key not a string", badRequest('VALIDATION_FAILED'), { key, position }, (body) => ({
              ...body,
              entries: updateAt(body.entries as Array<Record<string, unknown>>, position, (item) => ({ ...item, key })),
            })),
      ),
      entryWriteDefect.map(
        (defect): PlacedDefect =>
          (position) =>
            new BodyDefect(`an entry: ${defect.label}`, defect.expect, { detail: defect.detail, position }, (body) => ({
              ...body,
              entries: updateAt(
                body.entries as Array<Record<string, unknown>>,
                position,
                (item) => defect.reshape(item) as Record<string, unknown>,
              ),
            })),
      ),
      fc.constant<PlacedDefect>(
        (position) =>
          new BodyDefect('a key twice', badRequest('DUPLICATE_KEY'), { position }, (body) => ({
            ...body,
            entries: [...(body.entries as unknown[]), (body.entries as unknown[])[position % (body.entries as unknown[]).length]],
          })),
      ),
    ),
  );

  function replaceAt<T>(items: T[], position: number, item: T): T[] {
    const copy = [...items];
    copy[position % Math.max(1, copy.length)] = item;
    return copy;
  }

  function updateAt<T>(items: T[], position: number, update: (item: T) => T): T[] {
    return items.map((item, index) => (index === position % items.length ? update(item) : item));
  }

  /** Deep nesting where a bulk body nests: in an entry's value, or as the key list. */
  const deepenBulk = (body: Record<string, unknown>, nested: RawJson) =>
    'entries' in body ? { entries: [{ key: 'deep', valueType: 'JSON', value: nested }] } : { ...body, keys: nested };

  const bulkOperation = fc.record({
    op: fc.constantFrom('get' as const, 'set' as const, 'delete' as const),
    ns: namespaceChoice(),
    keys: fc.array(keyChoice, { minLength: 1, maxLength: 6 }),
    writes: fc.array(wellFormedWrite, { minLength: 1, maxLength: 6 }),
    mediaType: jsonMediaType,
    // Both kinds are generated; the operation picks the one that fits its body.
    defect: maybe(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ ofKeys: bulkKeysDefect, ofEntries: bulkSetDefect }) },
        { weight: 2, arbitrary: sharedBodyDefects(deepenBulk).map((shared) => ({ ofKeys: shared, ofEntries: shared })) },
      ),
      0.5,
    ),
    noise: harmlessHeaders,
  });

  it(
    'bulk: get, set and delete, all or nothing',
    () =>
      property(
        'bulk',
        bulkOperation.map((data) => new Spec(data, data.ns.kind === 'secret')),
        async (operation) => {
          const namespace = await poolNamespace(operation.ns.kind, operation.ns.index);
          const keys = [...new Set(operation.keys.map((choice) => resolveKey(namespace, choice)))];
          const defect =
            namesNamespace(operation.ns) && operation.defect
              ? operation.op === 'set'
                ? operation.defect.ofEntries
                : operation.defect.ofKeys
              : undefined;
          const secret = namespace.isSecret;
          const entries = keys.map((key, index) => ({ key, ...operation.writes[index % operation.writes.length] }));
          if (secret) for (const entry of entries) rememberSecret(entry.value);
          const body: Record<string, unknown> = operation.op === 'set' ? { entries } : { keys };
          const wire = defect ? defect.wire(body) : asJson(body, operation.mediaType);
          const outgoing = request(
            'POST',
            `/${namespaceInUrl(namespace, operation.ns)}/bulk/${operation.op}`,
            asAdmin({ wire, headers: operation.noise, secret }),
          );
          const where = secret ? 'secret' : 'plain';
          const label = !namesNamespace(operation.ns)
            ? `POST bulk/${operation.op}, namespace ${operation.ns.alias}`
            : defect
              ? `POST bulk/${operation.op}: ${defect.label}`
              : `POST bulk/${operation.op} in a ${where} namespace`;
          const present = keys.filter((key) => namespace.entries.has(key));
          const absent = keys.filter((key) => !namespace.entries.has(key));
          const snapshot = new Map(present.map((key) => [key, namespace.entries.get(key)!]));
          await exchange({
            label,
            group: `POST bulk/${operation.op}`,
            request: outgoing,
            expect: !namesNamespace(operation.ns) ? noSuchNamespace(operation.ns) : defect ? defect.expect : succeeds(200),
            after: async (response) => {
              if (!namesNamespace(operation.ns)) return;
              const answer = response.json as Record<string, unknown> | undefined;
              const differences: string[] = [];
              const parsed = wire.parsed as Record<string, unknown> | typeof UNPARSEABLE;
              let touched: string[] = keys;
              if (operation.op === 'get') {
                if (!defect && response.status === 200) {
                  const items = (answer?.items ?? []) as Array<Record<string, unknown>>;
                  const got = items.map((item) => item.keyPath as string);
                  if (!sameJson([...got].sort(), [...present].sort()))
                    differences.push(`items ${JSON.stringify(got)}, the model holds ${JSON.stringify(present)}`);
                  if (!sameJson([...((answer?.missing ?? []) as string[])].sort(), [...absent].sort()))
                    differences.push(`missing ${JSON.stringify(answer?.missing)}, the model lacks ${JSON.stringify(absent)}`);
                  for (const item of items) {
                    const state = snapshot.get(item.keyPath as string);
                    if (state) differences.push(...entryDifferences(item, item.keyPath as string, state, secret));
                  }
                }
                if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.slice(0, 5).join('; '));
                return;
              }
              if (isSuccess(response)) {
                if (parsed === UNPARSEABLE || typeof parsed !== 'object' || parsed === null) namespace.retired = true;
                else if (operation.op === 'set' && Array.isArray(parsed.entries)) {
                  touched = [];
                  for (const item of parsed.entries as Array<Record<string, unknown>>) {
                    const write = writeOf(item);
                    if (typeof item?.key !== 'string' || !write) namespace.retired = true;
                    else {
                      touched.push(item.key);
                      if (keyPathDefect(item.key) === null) namespace.write(item.key, write);
                    }
                  }
                  if (!defect) {
                    const items = (answer?.items ?? []) as Array<Record<string, unknown>>;
                    for (const entry of entries) {
                      const item = items.find((candidate) => candidate.keyPath === entry.key);
                      const state = namespace.entries.get(entry.key)!;
                      if (!item) differences.push(`${JSON.stringify(entry.key)} is not in the answer`);
                      else differences.push(...entryDifferences(item, entry.key, state, secret));
                    }
                  }
                } else if (operation.op === 'delete' && Array.isArray(parsed.keys)) {
                  touched = (parsed.keys as unknown[]).filter((key): key is string => typeof key === 'string');
                  for (const key of touched) namespace.remove(key);
                  if (!defect) {
                    if (!sameJson([...((answer?.deleted ?? []) as string[])].sort(), [...present].sort()))
                      differences.push(`deleted ${JSON.stringify(answer?.deleted)}, the model held ${JSON.stringify(present)}`);
                    if (!sameJson([...((answer?.missing ?? []) as string[])].sort(), [...absent].sort()))
                      differences.push(`missing ${JSON.stringify(answer?.missing)}, the model lacked ${JSON.stringify(absent)}`);
                  }
                } else namespace.retired = true;
              }
              await oracle.verifyEntries(namespace, touched, { label, request: outgoing, response }, isSuccess(response));
              if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.slice(0, 5).join('; '));
            },
          });
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Secrets: rotate, roll back, list the versions and read an old one

  const SECRET_ALPHABETS: Record<string, RegExp> = {
    alphanumeric: /^[A-Za-z0-9]+$/,
    'ascii-printable': /^[\x21-\x7e]+$/,
    hex: /^[0-9a-f]+$/,
    base64url: /^[A-Za-z0-9_-]+$/,
  };

  /** A value definitely not of `valueType` (none exists for JSON, which takes any value). */
  const NOT_OF_TYPE: Record<ValueType, unknown> = {
    STRING: 12,
    NUMBER: '12',
    BOOLEAN: 'true',
    BINARY: 'not base64!',
    DATETIME: '2024-05-01 12:00',
    DATE: '2023-02-29',
    DURATION: '5 minutes',
    JSON: undefined,
  };

  const reason = fc.option(wellFormedText({ maxLength: 60 }), { nil: undefined });

  const reasonDefect = fc.oneof(
    textBreakingTheRule().map(
      (text) => new BodyDefect('reason breaks the text rule', badRequest('INVALID_TEXT'), text, (body) => ({ ...body, reason: text })),
    ),
    fc
      .constantFrom<unknown>('r'.repeat(513), 5, ['r'], { r: 1 })
      .map(
        (text) =>
          new BodyDefect('reason too long or not a string', badRequest('VALIDATION_FAILED'), text, (body) => ({ ...body, reason: text })),
      ),
  );

  const rotateDefect = fc.oneof(
    fc
      .oneof(fc.constantFrom<unknown>(7, 4097, 0, -1, 1.5, '32', true), hostileNumberText)
      .map((length) => new BodyDefect('length out of range', badRequest('VALIDATION_FAILED'), length, (body) => ({ ...body, length }))),
    fc
      .constantFrom<unknown>('base64', 'HEX', '', 5, ['hex'])
      .map(
        (alphabet) =>
          new BodyDefect('alphabet not one of the alphabets', badRequest('VALIDATION_FAILED'), alphabet, (body) => ({ ...body, alphabet })),
      ),
    reasonDefect,
    textBreakingTheRule().map(
      (value) =>
        new BodyDefect('value breaks the text rule', badRequest('INVALID_VALUE'), value, (body) => ({
          ...body,
          value,
          valueType: 'STRING',
        })),
    ),
    mismatchedTypedValue.map(
      ({ valueType, value }) =>
        new BodyDefect('value not of its type', badRequest('INVALID_VALUE'), { valueType, value }, (body) => ({
          ...body,
          value,
          valueType,
        })),
    ),
    fc.constantFrom<unknown>('INTEGER', 'string', 5).map(
      (valueType) =>
        new BodyDefect('valueType not one of the types', badRequest('VALIDATION_FAILED'), valueType, (body) => ({
          ...body,
          value: 'v',
          valueType,
        })),
    ),
    fc.constant(new BodyDefect('value not of the current type', badRequest('INVALID_VALUE'))),
  );

  const rollbackDefect = fc.oneof(
    fc
      .oneof(fc.constantFrom<unknown>(0, -1, 1.5, '1', null, true, 2_147_483_648), hostileNumberText)
      .map(
        (version) =>
          new BodyDefect('version not a version number', badRequest('VALIDATION_FAILED'), version, (body) => ({ ...body, version })),
      ),
    fc.constant(new BodyDefect('version missing', badRequest('VALIDATION_FAILED'), undefined, (body) => without(body, 'version'))),
    reasonDefect,
  );

  const secretOperation = fc.record({
    ns: fc.record({
      kind: fc.oneof({ weight: 9, arbitrary: fc.constant('secret' as const) }, { weight: 1, arbitrary: fc.constant('plain' as const) }),
      index: fc.nat(POOL_SIZE - 1),
    }),
    key: fc.record({
      absent: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      index: fc.nat(),
      fresh: wellFormedKeyPath,
    }),
    seed: wellFormedTypedValue,
    op: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          op: fc.constant('rotate' as const),
          form: fc.constantFrom('generate (defaults)', 'generate', 'value of the current type', 'value with its type'),
          length: fc.oneof(fc.integer({ min: 8, max: 200 }), fc.constant(4096)),
          alphabet: fc.constantFrom(...Object.keys(SECRET_ALPHABETS)),
          valuesByType: fc.record(wellFormedValueOf),
          typed: wellFormedTypedValue,
          reason,
          defect: maybe(
            fc.oneof(
              { weight: 3, arbitrary: rotateDefect },
              {
                weight: 2,
                arbitrary: sharedBodyDefects((body, nested) => ({ ...body, value: nested, valueType: 'JSON' }), { emptyIsValid: true }),
              },
            ),
            0.5,
          ),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          op: fc.constant('rollback' as const),
          version: fc.oneof(fc.record({ existing: fc.nat() }), fc.record({ beyond: fc.integer({ min: 1, max: 5 }) })),
          reason,
          defect: maybe(
            fc.oneof(
              { weight: 3, arbitrary: rollbackDefect },
              { weight: 2, arbitrary: sharedBodyDefects((body, nested) => ({ ...body, reason: nested })) },
            ),
            0.5,
          ),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('versions' as const),
          limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          defect: maybe(pageQueryDefect('limit'), 0.4),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('read version' as const),
          version: fc.oneof(
            fc.record({ existing: fc.nat() }),
            fc.record({ beyond: fc.integer({ min: 1, max: 5 }) }),
            fc.record({ text: fc.constantFrom('0', '-1', '1.5', 'abc', '', '2147483648', '1,2') }),
            fc.record({ lenient: fc.constantFrom('01', '1e0', ' 1', '+1') }),
          ),
        }),
      },
    ),
    noise: harmlessHeaders,
  });

  it(
    'secrets: rotate, roll back, versions, and old versions',
    () =>
      property(
        'secrets',
        secretOperation.map((data) => new Spec(data, true)),
        async (spec) => {
          const namespace = await poolNamespace(spec.ns.kind, spec.ns.index);
          const secret = namespace.isSecret;
          // An operation on a secret needs one: write it first (a request of the suite's own).
          if (secret && !spec.key.absent && namespace.keys().length === 0) {
            rememberSecret(spec.seed.value);
            await setup('PUT', entryPath(namespace.id, spec.key.fresh), asAdmin({ json: spec.seed, secret: true }), 201);
            namespace.write(spec.key.fresh, spec.seed);
          }
          const keys = namespace.keys();
          const key = spec.key.absent || keys.length === 0 ? `absent/${spec.key.fresh}` : keys[spec.key.index % keys.length];
          const current = namespace.entries.get(key);
          const history = namespace.history.get(key) ?? [];
          const where = secret ? 'secret' : 'plain';
          // On a plain namespace every one of these is NOT_A_SECRET_NAMESPACE; of an absent secret, ENTRY_NOT_FOUND.
          const notThere: Expectation | undefined = !secret
            ? badRequest('NOT_A_SECRET_NAMESPACE')
            : !current
              ? refused(404, 'ENTRY_NOT_FOUND')
              : undefined;
          const operation = spec.op;
          /** A label of `what`: where it cannot apply, then its defect, then `wellFormed`. */
          const labelOf = (what: string, defect: { label: string } | undefined, wellFormed: string) =>
            notThere ? `${what} in a ${where} namespace${current ? '' : ', absent key'}` : defect ? `${what}: ${defect.label}` : wellFormed;
          /**
           * Sends a change of the secret (`what`: POST rotate or rollback): a success on a plain namespace retires
           * it from the model; `record` writes a success on the secret into the model and names what the answer
           * got wrong; then the secret's rows must be the model's.
           */
          const sendChange = (
            what: string,
            label: string,
            outgoing: FuzzRequest,
            expectation: Expectation,
            record: (response: FuzzResponse, entry: EntryState) => string[],
          ) =>
            exchange({
              label,
              group: what,
              request: outgoing,
              expect: expectation,
              after: async (response) => {
                const differences: string[] = [];
                if (isSuccess(response) && !secret) namespace.retired = true;
                if (isSuccess(response) && current && secret) differences.push(...record(response, current));
                if (secret)
                  await oracle.verifyEntries(namespace, current ? [key] : [], { label, request: outgoing, response }, isSuccess(response));
                if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
              },
            });
          switch (operation.op) {
            case 'rotate': {
              const defect = notThere ? undefined : operation.defect;
              const base: Record<string, unknown> =
                operation.form === 'generate (defaults)'
                  ? {}
                  : operation.form === 'generate'
                    ? { length: operation.length, alphabet: operation.alphabet }
                    : operation.form === 'value of the current type'
                      ? { value: operation.valuesByType[(current?.valueType ?? 'STRING') as ValueType] }
                      : { value: operation.typed.value, valueType: operation.typed.valueType };
              if (operation.reason !== undefined) base.reason = operation.reason;
              let body: Record<string, unknown> = base;
              let expectation = notThere ?? (defect ? defect.expect : succeeds(200));
              let wire = defect ? defect.wire(body) : asJson(body);
              if (defect?.label === 'value not of the current type') {
                const wrong = NOT_OF_TYPE[(current?.valueType ?? 'STRING') as ValueType];
                body = wrong === undefined ? { value: 'not a number', valueType: 'NUMBER' } : { value: wrong };
                wire = asJson(body);
                expectation = badRequest('INVALID_VALUE');
              }
              if ('value' in body) rememberSecret(body.value);
              const outgoing = request(
                'POST',
                entryPath(namespace.id, key, '/rotate'),
                asAdmin({ wire, headers: spec.noise, secret: true }),
              );
              const label = labelOf('POST rotate', defect, `POST rotate, ${operation.form}`);
              await sendChange('POST rotate', label, outgoing, expectation, (response, rotated) => {
                const differences: string[] = [];
                const answer = response.json as Record<string, unknown>;
                const parsed = wire.parsed as Record<string, unknown>;
                const given = parsed !== null && typeof parsed === 'object' && 'value' in parsed;
                rememberSecret(answer?.value);
                const value = given ? parsed.value : answer?.value;
                const valueType = given ? ((parsed.valueType as string | undefined) ?? rotated.valueType) : 'STRING';
                const state = namespace.write(
                  key,
                  { value, valueType },
                  { change: 'ROTATION', reason: typeof parsed?.reason === 'string' ? parsed.reason : undefined },
                );
                if (!defect) differences.push(...entryDifferences(answer, key, state, true));
                if (!given && !defect) {
                  const length = typeof parsed?.length === 'number' ? parsed.length : 32;
                  const alphabet = SECRET_ALPHABETS[typeof parsed?.alphabet === 'string' ? parsed.alphabet : 'alphanumeric'] ?? /^/;
                  if (typeof answer?.value !== 'string' || answer.value.length !== length || !alphabet.test(answer.value))
                    differences.push(
                      `the generated value is not ${length} characters of ${String(parsed?.alphabet ?? 'alphanumeric')} (withheld: secret)`,
                    );
                }
                return differences;
              });
              return;
            }
            case 'rollback': {
              const defect = notThere ? undefined : operation.defect;
              const target =
                'existing' in operation.version ? history[operation.version.existing % Math.max(1, history.length)] : undefined;
              const version = target?.version ?? (current?.version ?? 0) + ('beyond' in operation.version ? operation.version.beyond : 1);
              const body: Record<string, unknown> = { version, ...(operation.reason === undefined ? {} : { reason: operation.reason }) };
              const wire = defect ? defect.wire(body) : asJson(body);
              const outgoing = request(
                'POST',
                entryPath(namespace.id, key, '/rollback'),
                asAdmin({ wire, headers: spec.noise, secret: true }),
              );
              const label = labelOf('POST rollback', defect, `POST rollback to ${target ? 'a kept' : 'a missing'} version`);
              const expectation = notThere ?? (defect ? defect.expect : target ? succeeds(200) : refused(404, 'VERSION_NOT_FOUND'));
              await sendChange('POST rollback', label, outgoing, expectation, (response) => {
                const parsed = wire.parsed as Record<string, unknown>;
                const restored = history.find((kept) => kept.version === parsed?.version);
                if (!restored) {
                  namespace.retired = true;
                  return [];
                }
                const state = namespace.write(
                  key,
                  { value: restored.value, valueType: restored.valueType },
                  {
                    change: 'ROLLBACK',
                    restoredFrom: restored.version,
                    reason: typeof parsed.reason === 'string' ? parsed.reason : undefined,
                  },
                );
                return defect ? [] : entryDifferences(response.json, key, state, true);
              });
              return;
            }
            case 'versions': {
              const defect = notThere ? undefined : operation.defect;
              const wellFormed: Array<readonly [string, string]> =
                operation.limit === undefined ? [] : [['limit', String(operation.limit)]];
              const pairs = defect ? defect.applyTo(wellFormed) : wellFormed;
              const outgoing = request(
                'GET',
                entryPath(namespace.id, key, `/versions${queryString(pairs)}`),
                asAdmin({ headers: spec.noise }),
              );
              const label = labelOf('GET versions', defect, 'GET versions');
              const expectation = notThere ?? (defect ? defect.expect : succeeds(200));
              const response = await exchange({ label, group: 'GET versions', request: outgoing, expect: expectation });
              if (expectation.outcome !== 'succeeds') return;
              // The newest five pages: histories grow long, and the first pages show the order and the paging.
              const pages = 5;
              const items = (await pageThrough(
                response,
                (cursor) => entryPath(namespace.id, key, `/versions${queryString([...wellFormed, ['cursor', cursor]])}`),
                tokens.admin,
                pages - 1,
              )) as Array<Record<string, unknown>>;
              const seen = items.map((item) => ({
                version: item.version,
                change: item.change,
                valueType: item.valueType,
                restoredFrom: item.restoredFrom ?? null,
                reason: item.reason ?? null,
                actorId: item.actorId,
              }));
              const expected = [...history]
                .reverse()
                .slice(0, pages * (operation.limit ?? 100))
                .map((kept) => ({
                  version: kept.version,
                  change: kept.change,
                  valueType: kept.valueType,
                  restoredFrom: kept.restoredFrom,
                  reason: kept.reason,
                  actorId: ADMIN,
                }));
              const differences: string[] = [];
              if (seen.length !== expected.length)
                differences.push(
                  `${seen.length} versions listed in ${pages} pages of ${operation.limit ?? 100}, the model has ${expected.length} of ${history.length} to list`,
                );
              const firstOther = seen.findIndex((item, index) => !sameJson(item, expected[index]));
              if (firstOther !== -1 && expected[firstOther]) {
                const fields = Object.keys(expected[firstOther]).filter(
                  (field) =>
                    !sameJson(
                      (seen[firstOther] as Record<string, unknown>)[field],
                      (expected[firstOther] as Record<string, unknown>)[field],
                    ),
                );
                differences.push(
                  `version ${String(seen[firstOther].version)} (${firstOther + 1}th listed) differs in ${fields.join(', ')}: listed ${JSON.stringify(seen[firstOther])}, the model's ${JSON.stringify(expected[firstOther])}`,
                );
              }
              if (items.some((item) => 'value' in item)) differences.push('a version carries its value');
              if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
              return;
            }
            case 'read version': {
              const chosen =
                'existing' in operation.version ? history[operation.version.existing % Math.max(1, history.length)] : undefined;
              const text =
                'text' in operation.version
                  ? operation.version.text
                  : 'lenient' in operation.version
                    ? operation.version.lenient
                    : String(chosen?.version ?? (current?.version ?? 0) + ('beyond' in operation.version ? operation.version.beyond : 1));
              const outgoing = request(
                'GET',
                entryPath(namespace.id, key, `?version=${percentEncode(text)}`),
                asAdmin({ headers: spec.noise, secret: true }),
              );
              const label =
                'text' in operation.version
                  ? 'GET an old version, version not a version number'
                  : 'lenient' in operation.version
                    ? 'GET an old version spelled oddly'
                    : notThere
                      ? `GET an old version in a ${where} namespace${current ? '' : ', absent key'}`
                      : `GET ${chosen ? 'a kept' : 'a missing'} old version`;
              const expectation: Expectation =
                'text' in operation.version
                  ? secret
                    ? badRequest('VALIDATION_FAILED')
                    : badRequest('VALIDATION_FAILED', 'NOT_A_SECRET_NAMESPACE')
                  : 'lenient' in operation.version
                    ? either
                    : !secret
                      ? badRequest('NOT_A_SECRET_NAMESPACE')
                      : !current
                        ? refused(404, 'ENTRY_NOT_FOUND', 'VERSION_NOT_FOUND')
                        : chosen
                          ? succeeds(200)
                          : refused(404, 'VERSION_NOT_FOUND');
              const response = await exchange({ label, group: 'GET an old version', request: outgoing, expect: expectation });
              if (chosen && response.status === 200) {
                const differences = entryDifferences(
                  response.json,
                  key,
                  { ...chosen, metadata: (response.json as { metadata?: unknown })?.metadata ?? null },
                  true,
                );
                if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.join('; '));
              }
              return;
            }
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // Audit: list with every filter, page by page, and verify; who may do either

  const instantAround = fc.integer({ min: -3 * 3600, max: 3600 }).map((offset) => new Date(Date.now() + offset * 1000).toISOString());

  const auditFilters = fc.record(
    {
      namespace: fc.record({ kind: fc.constantFrom('plain' as const, 'secret' as const), index: fc.nat(POOL_SIZE - 1) }),
      keyPath: fc.oneof(fc.record({ existing: fc.nat() }), fc.record({ text: wellFormedKeyPath })),
      action: fc.constantFrom(...PUBLISHED_AUDIT_ACTIONS),
      userId: fc.oneof(fc.constantFrom(ADMIN, BYSTANDER, 'anonymous', 'fuzz-token-user'), wellFormedText({ minLength: 1, maxLength: 12 })),
      success: fc.boolean(),
      from: instantAround,
      to: instantAround,
      limit: fc.integer({ min: 1, max: 50 }),
    },
    { requiredKeys: [] },
  );

  const auditQueryDefect: fc.Arbitrary<QueryDefect> = fc.oneof(
    textBreakingTheRule().map(
      (keyPath) => new QueryDefect(`keyPath holds ${breakerKind(keyPath)}`, inUrl(keyPath, 'INVALID_KEY'), [['keyPath', keyPath]]),
    ),
    textBreakingTheRule().map(
      (userId) => new QueryDefect(`userId holds ${breakerKind(userId)}`, inUrl(userId, 'INVALID_TEXT'), [['userId', userId]]),
    ),
    fc.constant(new QueryDefect('userId over 256 characters', badRequest('VALIDATION_FAILED'), [['userId', 'u'.repeat(257)]])),
    fc.constant(
      new QueryDefect('keyPath over 512 characters', badRequest('VALIDATION_FAILED', 'INVALID_KEY'), [['keyPath', 'k'.repeat(513)]]),
    ),
    fc
      .constantFrom('NOPE', 'read', '', 'READ,WRITE')
      .map((action) => new QueryDefect('action not one of the actions', badRequest('VALIDATION_FAILED'), [['action', action]])),
    fc
      .constantFrom('maybe', '1', 'TRUE', '')
      .map((success) => new QueryDefect('success not true or false', badRequest('VALIDATION_FAILED'), [['success', success]])),
    fc
      .tuple(fc.constantFrom('from', 'to'), fc.constantFrom('yesterday', '2024-13-45T99:00:00Z', 'now', ''))
      .map(([name, value]) => new QueryDefect(`${name} not an instant`, badRequest('VALIDATION_FAILED'), [[name, value]])),
    fc
      .constantFrom('abc', UNKNOWN_NAMESPACE.slice(1), '%00')
      .map((id) => new QueryDefect('namespaceId not a UUID', badRequest('VALIDATION_FAILED'), [['namespaceId', id]])),
    pageQueryDefect('userId'),
  );

  const auditOperation = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('list' as const),
        filters: auditFilters,
        defect: maybe(auditQueryDefect, 0.5),
        noise: harmlessHeaders,
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('verify' as const), noise: harmlessHeaders }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('scoped auditor' as const),
        namespace: fc.record({ kind: fc.constantFrom('plain' as const, 'secret' as const), index: fc.nat(POOL_SIZE - 1) }),
        named: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('not an auditor' as const),
        route: fc.constantFrom('list', 'verify'),
        token: fc.constantFrom('noAudit' as const, 'oneAppAuditor' as const),
      }),
    },
  );

  it(
    'audit: list with filters, page by page, and verify',
    () =>
      property(
        'audit',
        auditOperation.map((data) => new Spec(data, false)),
        async (operation) => {
          switch (operation.op) {
            case 'list': {
              const { filters } = operation;
              const namespace = filters.namespace ? await poolNamespace(filters.namespace.kind, filters.namespace.index) : undefined;
              const keys = namespace?.keys() ?? [];
              const keyPath =
                filters.keyPath === undefined
                  ? undefined
                  : 'text' in filters.keyPath
                    ? filters.keyPath.text
                    : keys.length > 0
                      ? keys[filters.keyPath.existing % keys.length]
                      : 'none';
              const wellFormed: Array<readonly [string, string]> = [
                ...(namespace ? [['namespaceId', namespace.id] as const] : []),
                ...(keyPath === undefined ? [] : [['keyPath', keyPath] as const]),
                ...(filters.action === undefined ? [] : [['action', filters.action] as const]),
                ...(filters.userId === undefined ? [] : [['userId', filters.userId] as const]),
                ...(filters.success === undefined ? [] : [['success', String(filters.success)] as const]),
                ...(filters.from === undefined ? [] : [['from', filters.from] as const]),
                ...(filters.to === undefined ? [] : [['to', filters.to] as const]),
                ...(filters.limit === undefined ? [] : [['limit', String(filters.limit)] as const]),
              ];
              const defect = operation.defect;
              const pairs = defect ? defect.applyTo(wellFormed) : wellFormed;
              const outgoing = request('GET', `/audit${queryString(pairs)}`, {
                token: tokens.auditor,
                tokenLabel: `${AUDITOR} token`,
                headers: operation.noise,
              });
              const label = defect
                ? `GET audit: ${defect.label}`
                : `GET audit filtered by ${wellFormed.map(([name]) => name).join(', ') || 'nothing'}`;
              const response = await exchange({
                label,
                group: 'GET audit',
                request: outgoing,
                expect: defect ? defect.expect : succeeds(200),
              });
              if (defect) return;
              const items = (await pageThrough(
                response,
                (cursor) => `/audit${queryString([...wellFormed, ['cursor', cursor]])}`,
                tokens.auditor,
                2,
              )) as Array<Record<string, unknown>>;
              const differences: string[] = [];
              const limit = filters.limit ?? 100;
              if (((response.json as { items: unknown[] }).items ?? []).length > limit)
                differences.push(`a page of more than ${limit} records`);
              for (const [index, item] of items.entries()) {
                const breaks = [
                  namespace && item.namespaceId !== namespace.id && 'namespaceId',
                  keyPath !== undefined && item.keyPath !== keyPath && 'keyPath',
                  filters.action !== undefined && item.action !== filters.action && 'action',
                  filters.userId !== undefined && item.userId !== filters.userId && 'userId',
                  filters.success !== undefined && item.success !== filters.success && 'success',
                  filters.from !== undefined && Date.parse(item.occurredAt as string) < Date.parse(filters.from) && 'from',
                  filters.to !== undefined && Date.parse(item.occurredAt as string) >= Date.parse(filters.to) && 'to',
                  'value' in item && 'a value in a record',
                ].filter(Boolean);
                if (breaks.length > 0) differences.push(`record ${String(item.sequence)} breaks the filter on ${breaks.join(', ')}`);
                if (index > 0 && BigInt(item.sequence as string) >= BigInt(items[index - 1].sequence as string))
                  differences.push(`record ${String(item.sequence)} follows ${String(items[index - 1].sequence)}: not newest first`);
              }
              if (differences.length > 0) throw answerDiffers(label, outgoing, response, differences.slice(0, 4).join('; '));
              return;
            }
            case 'verify': {
              const outgoing = request('GET', '/audit/verify', {
                token: tokens.auditor,
                tokenLabel: `${AUDITOR} token`,
                headers: operation.noise,
              });
              const label = 'GET audit/verify';
              const response = await exchange({ label, group: label, request: outgoing, expect: succeeds(200) });
              const result = response.json as { ok?: unknown; firstBrokenSequence?: unknown; reason?: unknown };
              if (result?.ok !== true)
                throw answerDiffers(
                  label,
                  outgoing,
                  response,
                  `the chain does not verify: first broken record ${String(result?.firstBrokenSequence)} (${String(result?.reason)})`,
                );
              return;
            }
            case 'scoped auditor': {
              // README: kv-audit:read scoped to a namespace counts when namespaceId names that namespace.
              const namespace = await poolNamespace(operation.namespace.kind, operation.namespace.index);
              const token = await mintToken({
                secret: jwtSecret,
                sub: 'fuzz-scoped-auditor',
                permissions: [`kv-audit:read@${namespace.id}`],
                apps: ['*'],
                ttlSeconds: 600,
              });
              const outgoing = request('GET', `/audit${operation.named ? `?namespaceId=${namespace.id}` : ''}`, {
                token,
                tokenLabel: 'token with kv-audit:read@<namespace>',
              });
              const label = `GET audit with kv-audit:read@<namespace>${operation.named ? ', naming it' : ', not naming it'}`;
              const response = await exchange({
                label,
                group: label,
                request: outgoing,
                expect: operation.named ? succeeds(200) : refused(403, 'FORBIDDEN'),
              });
              if (
                operation.named &&
                ((response.json as { items: Array<{ namespaceId: string }> }).items ?? []).some((item) => item.namespaceId !== namespace.id)
              ) {
                throw answerDiffers(label, outgoing, response, 'a record of another namespace');
              }
              return;
            }
            case 'not an auditor': {
              // Without kv-audit:read, or (for verify) without every application: 403.
              const path = operation.route === 'list' ? '/audit' : '/audit/verify';
              const outgoing = request('GET', path, { token: tokens[operation.token], tokenLabel: `${operation.token} token` });
              const mayList = operation.token === 'oneAppAuditor' && operation.route === 'list';
              const label = `GET ${path} as ${operation.token}`;
              await exchange({ label, group: label, request: outgoing, expect: mayList ? succeeds(200) : refused(403, 'FORBIDDEN') });
              return;
            }
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // HTTP edges: unknown routes and methods, HEAD, and requests malformed below the application

  const ROUTE_SHAPES = [
    '/namespaces',
    '/namespaces/{ns}',
    '/{ns}/entries',
    '/{ns}/entries/k',
    '/{ns}/entries/k/versions',
    '/{ns}/bulk/get',
    '/audit',
    '/audit/verify',
    '/health/live',
  ];

  interface Framing {
    label: string;
    head?: string;
    body?: string;
    method?: string;
    target?: string;
    host?: boolean;
    version?: string;
    lineEnding?: string;
    /** Valid, or not clearly invalid, HTTP: only the invariants apply. */
    open?: boolean;
  }

  /** A body-reading route, so that a malformed body is met while the request is still being read. */
  const POST_JSON = { method: 'POST', target: `${API_PREFIX}/namespaces`, head: 'Content-Type: application/json' };

  /** Requests that node:http refuses to send, so they go as raw bytes: each has one defect of HTTP itself. */
  const framingDefect = fc.constantFrom<Framing>(
    { label: 'NUL in a header value', head: 'X-Fuzz: a\u0000b' },
    { label: 'a control character in a header value', head: 'X-Fuzz: a\u0001b' },
    { label: 'DEL in a header value', head: 'X-Fuzz: a\u007fb' },
    { label: 'a header line without a colon', head: 'X-Fuzz' },
    { label: 'a header name with a space', head: 'X Fuzz: a' },
    { label: 'a header of 20 KB', head: `X-Fuzz: ${'h'.repeat(20_000)}` },
    { label: 'Content-Length not a number', ...POST_JSON, head: `${POST_JSON.head}\r\nContent-Length: abc` },
    {
      label: 'two different Content-Lengths',
      ...POST_JSON,
      head: `${POST_JSON.head}\r\nContent-Length: 1\r\nContent-Length: 2`,
      body: '{}',
    },
    {
      label: 'Content-Length and Transfer-Encoding',
      ...POST_JSON,
      head: `${POST_JSON.head}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked`,
      body: '0\r\n\r\n',
    },
    {
      label: 'a chunk size that is not hex',
      ...POST_JSON,
      head: `${POST_JSON.head}\r\nTransfer-Encoding: chunked`,
      body: 'zz\r\n{}\r\n0\r\n\r\n',
    },
    { label: 'a raw non-ASCII byte in the path', target: `${API_PREFIX}/health/caf\u00e9` },
    { label: 'raw UTF-8 bytes in the path', target: `${API_PREFIX}/namespaces/\u00c3\u00a9` },
    { label: 'a space in the path', target: `${API_PREFIX}/health/ live` },
    { label: 'a raw NUL in the path', target: `${API_PREFIX}/health/\u0000` },
    { label: 'no Host header', host: false },
    { label: 'a lower-case method', method: 'get' },
    { label: 'a method with a space', method: 'G ET' },
    { label: 'an obsolete folded header line', head: 'X-Fuzz: a\r\n  folded', open: true },
    { label: 'an unknown minor HTTP version', version: 'HTTP/1.7', open: true },
    { label: 'bare LF line endings', lineEnding: '\n', open: true },
    { label: 'an absolute-form target', target: `http://127.0.0.1${API_PREFIX}/health/live`, open: true },
  );

  /** The methods each route shape serves (what "method not served" must avoid). */
  const SERVED: Record<string, string[]> = {
    '/namespaces': ['GET', 'POST', 'HEAD'],
    '/namespaces/{ns}': ['GET', 'PUT', 'DELETE', 'HEAD'],
    '/{ns}/entries': ['GET', 'HEAD'],
    '/{ns}/entries/k': ['GET', 'PUT', 'DELETE', 'HEAD'],
    '/{ns}/entries/k/versions': ['GET', 'HEAD', 'PUT', 'DELETE'],
    '/{ns}/bulk/get': ['POST'],
    '/audit': ['GET', 'HEAD'],
    '/audit/verify': ['GET', 'HEAD'],
    '/health/live': ['GET', 'HEAD'],
  };

  const httpOperation = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('unknown route' as const),
        where: fc.constantFrom('under the prefix', 'outside the prefix'),
        segments: fc.array(wellFormedText({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        authorized: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          op: fc.constant('method not served' as const),
          route: fc.constantFrom(...ROUTE_SHAPES),
          method: fc.constantFrom('PATCH', 'OPTIONS', 'TRACE', 'PUT', 'POST', 'DELETE'),
        })
        .filter(({ route, method }) => !SERVED[route].includes(method)),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('HEAD' as const), route: fc.constantFrom(...ROUTE_SHAPES) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('framing' as const), defect: framingDefect }) },
  );

  it(
    'HTTP edges: unknown routes and methods, HEAD, and malformed HTTP',
    () =>
      property(
        'http',
        httpOperation.map((data) => new Spec(data, false)),
        async (operation) => {
          const ns = (await poolNamespace('plain', 0)).id;
          switch (operation.op) {
            case 'unknown route': {
              const path = `/zz-${operation.segments.map(percentEncode).join('/')}`;
              const outgoing: FuzzRequest = {
                ...request(operation.method, path, operation.authorized ? asAdmin() : {}),
                target: operation.where === 'outside the prefix' ? path : `${API_PREFIX}${path}`,
              };
              // Under the prefix, `/zz-…/entries/…` has the shape of an entry route of an unknown namespace.
              await exchange({
                label: `${operation.method} an unknown route ${operation.where}`,
                group: 'an unknown route',
                request: outgoing,
                expect: refused(operation.authorized ? [404] : [401, 404]),
              });
              return;
            }
            case 'method not served': {
              const outgoing = request(operation.method, operation.route.replace('{ns}', ns), asAdmin());
              await exchange({
                label: `${operation.method} ${operation.route}`,
                group: 'a method a route does not serve',
                request: outgoing,
                expect: refused([404, 405]),
              });
              return;
            }
            case 'HEAD': {
              const outgoing = request('HEAD', operation.route.replace('{ns}', ns), asAdmin());
              await exchange({ label: `HEAD ${operation.route}`, group: 'HEAD', request: outgoing, expect: either });
              return;
            }
            case 'framing': {
              const {
                label,
                head,
                body,
                target = `${API_PREFIX}/health/live`,
                host = true,
                method = 'GET',
                version = 'HTTP/1.1',
                lineEnding = '\r\n',
                open = false,
              } = operation.defect;
              const lines = [
                `${method} ${target} ${version}`,
                ...(host ? ['Host: 127.0.0.1'] : []),
                'Connection: close',
                ...(head ? head.split('\r\n') : []),
              ];
              const outgoing: FuzzRequest = {
                method,
                target,
                headers: {},
                raw: Buffer.from(`${lines.join(lineEnding)}${lineEnding}${lineEnding}${body ?? ''}`, 'latin1'),
              };
              // Malformed HTTP is refused with a 4xx that, like every other, has the error shape and a request id (issue 17, item 7).
              await exchange({
                label: `malformed HTTP: ${label}`,
                group: 'malformed HTTP',
                request: outgoing,
                expect: open ? either : refused([400, 404, 405, 411, 413, 414, 431]),
              });
              return;
            }
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // ---------------------------------------------------------------------------------------------
  // After the run: the bystander's records, the chain, and the number of requests

  it('after the run: every record of the bystander is in the trail, and the trail verifies', async () => {
    bystander.running = false;
    await bystander.done;
    const calls = bystander.calls;
    const refusedCalls = calls.filter((call) => call.status < 200 || call.status >= 300);
    const expected = new Set(calls.map((call) => call.requestId));
    // The gateway records reads in the background: wait for them, within a deadline.
    const deadline = Date.now() + 90_000;
    let found = new Map<string, Record<string, unknown>>();
    for (;;) {
      found = new Map();
      let cursor: string | null | undefined;
      do {
        const page = await setup(
          'GET',
          `/audit${queryString([['userId', BYSTANDER], ['limit', '1000'], ...(cursor ? [['cursor', cursor] as const] : [])])}`,
          { token: tokens.auditor, tokenLabel: 'token' },
          200,
        );
        const body = page.json as { items: Array<Record<string, unknown>>; nextCursor: string | null };
        for (const item of body.items) if (typeof item.requestId === 'string') found.set(item.requestId, item);
        cursor = body.nextCursor;
      } while (cursor);
      if ([...expected].every((id) => found.has(id)) || Date.now() > deadline) break;
      await sleep(1000);
    }
    const missing = calls.filter((call) => !found.has(call.requestId));
    const byKind = (list: BystanderCall[]) =>
      Object.entries(list.reduce<Record<string, number>>((counts, call) => ({ ...counts, [call.what]: (counts[call.what] ?? 0) + 1 }), {}))
        .map(([what, count]) => `${count} ${what}`)
        .join(', ');
    const verify = await setup('GET', '/audit/verify', { token: tokens.auditor, tokenLabel: 'token' }, 200);
    const problems = [
      calls.length < 50 && `the bystander made only ${calls.length} calls`,
      refusedCalls.length > 0 &&
        `${refusedCalls.length} of the bystander's well-formed calls were refused or failed (${byKind(refusedCalls)}; statuses ${[...new Set(refusedCalls.map((call) => call.status))].join(', ')})`,
      missing.length > 0 &&
        `${missing.length} of the bystander's ${calls.length} calls have no audit record after 90 s (${byKind(missing)}; e.g. request ids ${missing
          .slice(0, 3)
          .map((call) => call.requestId)
          .join(', ')})`,
      [...found.values()].some((record) => record.userId !== BYSTANDER) && "a record of another user in the bystander's listing",
      (verify.json as { ok?: unknown }).ok !== true && `GET /audit/verify: ${JSON.stringify(verify.json)}`,
    ].filter(Boolean);
    console.log(
      `[fuzz] bystander: ${calls.length} calls (${byKind(calls)}), ${found.size} records found; audit/verify ${JSON.stringify(verify.json)}`,
    );
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }, 180_000);

  it(`sent the ${RUNS} generated requests planned, over every family`, () => {
    const planned = (Object.keys(FAMILY_WEIGHTS) as Family[]).reduce((sum, family) => sum + runsOf(family), 0);
    const short = outcomes
      .filter((outcome) => outcome.gaveUp)
      .map(
        (outcome) => `${outcome.name} stopped after ${outcome.runs} of ${runsOf(outcome.name as Family)} runs (too many distinct failures)`,
      );
    const families = outcomes.map((outcome) => outcome.name).sort();
    expect({ families, short, enough: stats.generated >= planned }).toEqual({
      families: [...Object.keys(FAMILY_WEIGHTS)].sort(),
      short: [],
      enough: true,
    });
  });
});

/** Every route of the OpenAPI document, as the families above fuzz them. */
const FUZZED_ROUTES = [
  'GET /namespaces',
  'POST /namespaces',
  'GET /namespaces/{nsId}',
  'GET /whoami',
  'PUT /namespaces/{nsId}',
  'DELETE /namespaces/{nsId}',
  'GET /{nsId}/entries',
  'GET /{nsId}/entries/{key}',
  'PUT /{nsId}/entries/{key}',
  'DELETE /{nsId}/entries/{key}',
  'GET /{nsId}/entries/{key}/versions',
  'GET /{nsId}/watch',
  'POST /{nsId}/entries/{key}/rotate',
  'POST /{nsId}/entries/{key}/rollback',
  'POST /{nsId}/bulk/get',
  'POST /{nsId}/bulk/set',
  'POST /{nsId}/bulk/delete',
  'GET /audit',
  'GET /audit/verify',
];
