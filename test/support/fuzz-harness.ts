import fc from 'fast-check';
import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { ErrorCode, isErrorCode } from '@app/contracts';
import { REQUEST_ID_PATTERN, jsonText } from './hostile-arbitraries';

/**
 * The fuzz suite's plumbing: one request out exactly as generated, the checks every answer must pass,
 * what a request's generator expects of it, and a runner that keeps going after a failure to find the
 * next distinct one. Nothing here prints a secret's value: requests to secret namespaces are described
 * with their values withheld, and every report goes through `scrubSecrets`.
 */

export const API_PREFIX = '/api/v1/kv';

// ---------------------------------------------------------------------------------------------
// Requests and answers

export interface FuzzRequest {
  method: string;
  /** The request target as sent (`/api/v1/kv/...?...`): never normalised, never re-encoded. */
  target: string;
  /** Header values are latin1 strings of the bytes to send. */
  headers: Record<string, string>;
  body?: Buffer;
  /** A whole request to write as these bytes on a fresh connection (for what node:http refuses to send). */
  raw?: Buffer;
  /** The request or its answer may hold a secret's value: neither is ever printed whole. */
  secret?: boolean;
  /** How the Authorization header came about, for reports (the token itself is never printed). */
  tokenLabel?: string;
}

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

/**
 * Requests sent: `generated` by the properties' runs, `shrinking` while fast-check shrinks a failure,
 * `checks` by the suite itself (setup and read-backs).
 */
export const stats = { generated: 0, shrinking: 0, checks: 0 };
let shrinking = false;

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ANSWER_TIMEOUT_MS = 20_000;

/** Sends a request; `purpose` says whether it counts as a generated request or as one of the suite's checks. */
export async function send(gatewayUrl: string, request: FuzzRequest, purpose: 'generated' | 'check' = 'generated'): Promise<FuzzResponse> {
  if (purpose === 'check') stats.checks++;
  else if (shrinking) stats.shrinking++;
  else stats.generated++;
  const origin = new URL(gatewayUrl);
  if (request.raw) return sendRaw(origin, request.raw);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(request.body.length);
    const outgoing = httpRequest(
      {
        host: origin.hostname,
        port: origin.port,
        method: request.method,
        path: request.target,
        headers,
        agent,
        timeout: ANSWER_TIMEOUT_MS,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        const answer = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json: parseJson(text) });
        };
        // An event stream does not end: its answer is its first frame, and the request is closed after it.
        const stream = String(incoming.headers['content-type'] ?? '').startsWith('text/event-stream');
        incoming.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (stream && Buffer.concat(chunks).includes('\n\n')) {
            answer();
            outgoing.destroy();
          }
        });
        incoming.on('end', answer);
        // Once answered, the abort's own error changes nothing.
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Writes raw bytes, reads until the server closes (or stops talking), and parses the one answer. */
function sendRaw(origin: URL, raw: Buffer): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(origin.port), origin.hostname, () => socket.end(raw));
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      const answer = Buffer.concat(chunks).toString('latin1');
      const headerEnd = answer.indexOf('\r\n\r\n');
      const statusLine = /^HTTP\/\d\.\d (\d{3})/.exec(answer);
      if (headerEnd === -1 || !statusLine) {
        reject(
          new Error(answer === '' ? 'connection closed without an answer' : `not an HTTP answer: ${JSON.stringify(answer.slice(0, 80))}`),
        );
        return;
      }
      const headers: IncomingHttpHeaders = {};
      for (const line of answer.slice(0, headerEnd).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = answer.slice(headerEnd + 4);
      if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) body = dechunk(body);
      const text = Buffer.from(body, 'latin1').toString('utf8');
      resolve({ status: Number(statusLine[1]), headers, text, json: parseJson(text) });
    };
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => undefined);
  });
}

function dechunk(body: string): string {
  let out = '';
  for (let rest = body; ;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (lineEnd === -1 || !(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

// ---------------------------------------------------------------------------------------------
// What a generated request expects

/**
 * - `succeeds`: a well-formed request; it must be answered with one of `status` (a gateway that
 *   refuses everything fails here).
 * - `refused`: the contract says how it is refused (`codes` left out where it leaves the code open).
 * - `either`: the contract leaves it open; only the invariants apply (and, for a write, that whatever
 *   happened reads back consistently).
 */
export type Expectation =
  | { outcome: 'succeeds'; status: readonly number[] }
  | { outcome: 'refused'; status: readonly number[]; codes?: readonly string[] }
  | { outcome: 'either' };

export const succeeds = (...status: number[]): Expectation => ({ outcome: 'succeeds', status });
export const refused = (status: number | readonly number[], ...codes: string[]): Expectation => ({
  outcome: 'refused',
  status: typeof status === 'number' ? [status] : status,
  ...(codes.length > 0 ? { codes } : {}),
});
export const either: Expectation = { outcome: 'either' };

/** A text-rule or shape refusal: 400 with one of these codes. */
export const badRequest = (...codes: string[]): Expectation => refused(400, ...codes);

// ---------------------------------------------------------------------------------------------
// Violations

/**
 * A failed check. `signature` names the kind of request and the kind of failure without the generated
 * details, so that the runner can tell a new failure from one it has reported already.
 */
export class Violation extends Error {
  constructor(
    readonly signature: string,
    details: string,
  ) {
    super(`${signature}\n${details}`);
    this.name = 'Violation';
  }
}

// ---------------------------------------------------------------------------------------------
// Describing requests and answers without secrets

const secretTexts = new Set<string>();

/**
 * Remembers the strings of a value stored in a secret namespace, so that no report shows them even
 * should an answer quote one. (Short strings, numbers and booleans cannot be scrubbed without
 * scrubbing everything; reports withhold values structurally anyway.)
 */
export function rememberSecret(value: unknown): void {
  if (typeof value === 'string') {
    if (value.length >= 6) secretTexts.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped.length >= 6) secretTexts.add(escaped);
  } else if (Array.isArray(value)) value.forEach(rememberSecret);
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach(rememberSecret);
}

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const secret of secretTexts) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join('<secret>');
  return scrubbed;
}

/** A value's stand-in in a report about a secret namespace. */
export function withheld(value: unknown): string {
  return `<secret ${typeof value === 'string' ? `string of ${value.length}` : Array.isArray(value) ? 'array' : typeof value} withheld>`;
}

/** A JSON value with every `value` member withheld (the bodies of secret namespaces' writes). */
export function withValuesWithheld(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withValuesWithheld);
  if (typeof json !== 'object' || json === null) return json;
  return Object.fromEntries(
    Object.entries(json).map(([key, member]) => [key, key === 'value' ? withheld(member) : withValuesWithheld(member)]),
  );
}

/** How deeply a JSON text nests, counted without parsing (a 1,500-deep body is summed up, not printed). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

const shorten = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);

function describeBody(request: FuzzRequest): string {
  if (request.body === undefined) return '';
  const text = request.body.toString('utf8');
  const depth = nestingDepth(text);
  const shape = `${request.body.length} bytes${depth > 8 ? `, nested ${depth} deep` : ''}`;
  const parsed = parseJson(text);
  if (request.secret)
    return parsed === undefined
      ? `body (${shape}, not JSON, withheld: secret namespace)`
      : `body (${shape}): ${shorten(jsonText(withValuesWithheld(parsed)))}`;
  return `body (${shape}): ${shorten(JSON.stringify(text))}`;
}

export function describeRequest(request: FuzzRequest): string {
  if (request.raw) return `raw HTTP: ${shorten(JSON.stringify(request.raw.toString('latin1')), 400)}`;
  const headers = Object.entries(request.headers)
    .map(([name, value]) =>
      name === 'authorization' ? `authorization: <${request.tokenLabel ?? 'token'}>` : `${name}: ${JSON.stringify(value)}`,
    )
    .join(', ');
  const target =
    request.tokenLabel && /access_token=/.test(request.target)
      ? request.target.replace(/access_token=[^&]*/, 'access_token=<token>')
      : request.target;
  return [`${request.method} ${target}`, headers && `headers: ${headers}`, describeBody(request)].filter(Boolean).join('\n    ');
}

export function describeResponse(response: FuzzResponse, secret = false): string {
  const json = response.json as { code?: unknown; message?: unknown } | undefined;
  const requestId = response.headers['x-request-id'];
  const base = `${response.status}${requestId ? '' : ' (no x-request-id)'}`;
  if (response.status >= 400) {
    return typeof json === 'object' && json !== null
      ? `${base} ${String(json.code)}: ${JSON.stringify(json.message)}`
      : `${base} ${shorten(JSON.stringify(response.text), 200)}`;
  }
  if (secret) return `${base} <body withheld: secret namespace>`;
  return `${base} ${shorten(response.text, 200)}`;
}

// ---------------------------------------------------------------------------------------------
// The checks every answer must pass, and the expectation of its request

const KNOWN_CODES = Object.values(ErrorCode) as string[];

/**
 * Where a failure is reported: `label` names the generated case (route and defect), `group` the route
 * (and, for tokens, the token's oddity). A 5xx is one failure per case; a wrong status or code, a
 * missing request id or error shape is one failure per group, whatever the defect that provoked it,
 * since one fix mends them all (the report shows one shrunk example).
 */
export interface Where {
  label: string;
  group: string;
}

function violation(signature: string, where: Where, request: FuzzRequest, response: FuzzResponse): Violation {
  const detail = signature.startsWith(where.label) ? '' : `    case: ${where.label}\n`;
  return new Violation(
    signature,
    `${detail}    request: ${describeRequest(request)}\n    answer:  ${describeResponse(response, request.secret)}`,
  );
}

/** The invariants of issue 17, for every answer: no 5xx, no 429, a request id, the error shape on every 4xx. */
export function checkInvariants(where: Where, request: FuzzRequest, response: FuzzResponse): void {
  const fail = (what: string, perCase = false) => {
    throw violation(`${perCase ? where.label : where.group} | ${what}`, where, request, response);
  };
  if (response.status >= 500) fail(`answered ${response.status}`, true);
  if (response.status === 429) fail('answered 429: the suite must run under a rate limit that never answers its principals 429');
  const requestId = response.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') fail(`no x-request-id on a ${response.status}`);
  const sent = request.headers['x-request-id'];
  if (sent !== undefined && REQUEST_ID_PATTERN.test(sent) && requestId !== sent) fail('a sane x-request-id was not echoed');
  if (sent !== undefined && !REQUEST_ID_PATTERN.test(sent) && (requestId === sent || !REQUEST_ID_PATTERN.test(String(requestId)))) {
    fail('a malformed x-request-id was not replaced by a fresh one');
  }
  if (response.status >= 400 && response.status < 500 && request.method !== 'HEAD') {
    const body = response.json as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(`a ${response.status} without a JSON error body`);
    else {
      if (body.statusCode !== response.status) fail(`a ${response.status} whose statusCode is ${JSON.stringify(body.statusCode)}`);
      if (typeof body.error !== 'string' || typeof body.message !== 'string')
        fail(`a ${response.status} without error and message strings`);
      if (typeof body.code !== 'string') fail(`a ${response.status} without a string code`);
      else if (!isErrorCode(body.code)) fail(`a ${response.status} with an undocumented code (${KNOWN_CODES.length} are documented)`);
      if (!String(response.headers['content-type'] ?? '').startsWith('application/json'))
        fail(`a ${response.status} that is not application/json`);
    }
  }
}

export function codeOf(response: FuzzResponse): string | undefined {
  const code = (response.json as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isSuccess(response: FuzzResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

export function checkExpectation(where: Where, request: FuzzRequest, response: FuzzResponse, expectation: Expectation): void {
  const fail = (what: string) => {
    throw violation(`${where.group} | ${what}`, where, request, response);
  };
  if (expectation.outcome === 'succeeds' && !expectation.status.includes(response.status)) {
    fail(`well-formed, expected ${expectation.status.join(' or ')}, got ${response.status} ${codeOf(response) ?? ''}`.trimEnd());
  }
  if (expectation.outcome === 'refused') {
    if (!expectation.status.includes(response.status))
      fail(
        `expected ${expectation.status.join(' or ')}${expectation.codes ? ` ${expectation.codes.join('|')}` : ''}, got ${response.status} ${codeOf(response) ?? ''}`.trimEnd(),
      );
    else if (expectation.codes && !expectation.codes.includes(codeOf(response) ?? ''))
      fail(`expected code ${expectation.codes.join(' or ')}, got ${codeOf(response)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The runner

export interface FoundFailure {
  signature: string;
  report: string;
}

export interface PropertyOutcome {
  name: string;
  runs: number;
  failures: FoundFailure[];
  gaveUp: boolean;
}

export interface PropertySettings<T> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  runs: number;
  seed: number;
  /** Sends one generated case and checks it; throws a Violation when a check fails. */
  check: (value: T) => Promise<void>;
  /** Distinct failures to look for before giving up on the rest of the runs. */
  maxFailures?: number;
  /** How long fast-check may shrink one failure before the best counterexample so far is taken. */
  shrinkBudgetMs?: number;
}

/**
 * Runs a property like fc.assert, but does not stop at the first failure: once fast-check has shrunk
 * one, it is recorded, and the remaining runs go on (from the next seed) with failures of that same
 * signature counted as known. Nothing is weakened: the test fails if any failure was found; it only
 * reports every distinct one instead of the first.
 */
export async function runProperty<T>(settings: PropertySettings<T>): Promise<PropertyOutcome> {
  const { maxFailures = 12, shrinkBudgetMs = 20_000 } = settings;
  const known = new Set<string>();
  const failures: FoundFailure[] = [];
  let remaining = settings.runs;
  let runs = 0;
  for (let round = 0; remaining > 0 && failures.length < maxFailures; round++) {
    let firstFailureAt: number | undefined;
    const property = fc.asyncProperty(settings.arbitrary, async (value) => {
      // Shrinking budget spent: every further candidate "passes", so fast-check keeps the best so far.
      if (firstFailureAt !== undefined && Date.now() - firstFailureAt > shrinkBudgetMs) return true;
      shrinking = firstFailureAt !== undefined;
      try {
        await settings.check(value);
        return true;
      } catch (error) {
        const violation =
          error instanceof Violation
            ? error
            : new Violation(
                `${settings.name} | ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
                String(error instanceof Error ? error.stack : error),
              );
        if (known.has(violation.signature)) return true;
        firstFailureAt ??= Date.now();
        throw violation;
      }
    });
    const seed = settings.seed + round;
    const details = await fc.check(property, { seed, numRuns: remaining });
    shrinking = false;
    runs += details.numRuns;
    remaining -= details.numRuns;
    if (!details.failed) break;
    const error = details.errorInstance;
    const signature = error instanceof Violation ? error.signature : String(error);
    known.add(signature);
    const counterexample = details.counterexample ? fc.stringify(details.counterexample[0]) : '(none)';
    failures.push({
      signature,
      report: scrubSecrets(
        `${error instanceof Error ? error.message : String(error)}\n` +
          `    shrunk counterexample (${details.numShrinks} shrinks${firstFailureAt !== undefined && Date.now() - firstFailureAt > shrinkBudgetMs ? ', shrinking budget spent' : ''}): ${shorten(counterexample, 1200)}\n` +
          `    replay: seed ${seed}, path "${details.counterexamplePath ?? ''}" (property "${settings.name}", after the same earlier runs)`,
      ),
    });
  }
  return { name: settings.name, runs, failures, gaveUp: remaining > 0 };
}

/** The text a failed property's test fails with. */
export function failureReport(outcome: PropertyOutcome): string {
  const header = `${outcome.name}: ${outcome.failures.length} distinct failure(s) in ${outcome.runs} runs${outcome.gaveUp ? ' (stopped looking after that many; more may exist)' : ''}`;
  return [header, ...outcome.failures.map((failure, index) => `\n[${index + 1}] ${failure.report}`)].join('\n');
}
