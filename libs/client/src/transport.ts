import { apiErrorOf, KvTimeoutError } from './errors';
import type { paths } from './generated/openapi';
import { RETRYABLE_STATUSES, RetryOptions, retryDelayMs } from './retry';
import type { ErrorCode } from './schemas';

/** A route of the generated OpenAPI document, e.g. `/api/v1/kv/{nsId}/entries/{key}`. */
export type ApiPath = keyof paths;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  path: ApiPath;
  /** Values for the path's `{placeholders}`, already encoded for the URL. */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as `Idempotency-Key` on every attempt: the gateway answers a repeat with the first outcome. */
  idempotencyKey?: string;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TransportOptions {
  /** The gateway, e.g. `http://localhost:8080` (a trailing `/api/v1/kv` is accepted too). */
  baseUrl: string;
  token?: string;
  retry?: RetryOptions;
  /** How long one attempt may wait for its whole answer before it is abandoned. Default 30 s. */
  timeoutMs?: number;
  /** Defaults to the global fetch; tests pass a fake. */
  fetch?: typeof fetch;
  /** Defaults to a timer (cleared when `signal` aborts); tests pass one that records the waits. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 };
const DEFAULT_TIMEOUT_MS = 30_000;
// Node runs a longer timer after 1 ms instead, so a larger timeout would abort every call at once.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** The header of the IETF httpapi draft; libs/contracts holds the gateway's copy, which this package cannot import. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const KEY_IN_PROGRESS: ErrorCode = 'IDEMPOTENCY_KEY_IN_PROGRESS';
// A key in progress is held until its first request's deadline at the gateway (seconds): waits for it do not
// spend the retry budget, up to this many (about 30 s at the gateway's Retry-After of 1 s).
const MAX_IN_PROGRESS_WAITS = 30;
const API_ROOT = '/api/v1/kv';

/** The gateway's origin (and any path before the API), whatever of the two forms the caller gave. */
export function gatewayOrigin(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith(API_ROOT) ? trimmed.slice(0, -API_ROOT.length) : trimmed;
}

export function fillPath(path: ApiPath, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return value;
  });
}

/** JSON over HTTP with the bearer token, a timeout per attempt, retries, and errors as KvApiError. */
export class Transport {
  private readonly origin: string;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.origin = gatewayOrigin(options.baseUrl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!Number.isInteger(this.retry.attempts) || this.retry.attempts < 1)
      throw new Error('retry.attempts must be a whole number of at least 1');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1 || this.timeoutMs > MAX_TIMEOUT_MS)
      throw new Error(`timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? sleepUnlessAborted;
    this.random = options.random ?? Math.random;
  }

  url(request: Pick<ApiRequest, 'path' | 'params' | 'query'>): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) search.set(name, String(value));
    const query = search.toString();
    return `${this.origin}${fillPath(request.path, request.params)}${query ? `?${query}` : ''}`;
  }

  async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const url = this.url(request);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (request.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = request.idempotencyKey;
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    let inProgressWaits = 0;
    for (let attempt = 1; ; attempt++) {
      const mayRetry = attempt < this.retry.attempts;
      let answer: { response: Response; text: string };
      try {
        answer = await this.attempt(url, { method: request.method, headers, body: payload });
      } catch (error) {
        // No answer, so no Retry-After: the backoff alone.
        if (mayRetry && request.idempotencyKey !== undefined && isBrokenCall(error)) {
          await this.sleep(retryDelayMs(attempt, null, this.retry, this.random));
          continue;
        }
        throw error;
      }
      const { response, text } = answer;
      if (response.ok) return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
      const body = jsonOrText(text);
      if (request.idempotencyKey !== undefined && codeOf(body) === KEY_IN_PROGRESS && inProgressWaits < MAX_IN_PROGRESS_WAITS) {
        inProgressWaits += 1;
        attempt -= 1;
        await this.sleep(retryDelayMs(1, response.headers.get('retry-after'), this.retry, this.random));
        continue;
      }
      if (mayRetry && safeToRetry(request, response.status, body)) {
        await this.sleep(retryDelayMs(attempt, response.headers.get('retry-after'), this.retry, this.random));
        continue;
      }
      throw apiErrorOf(response.status, body, response.headers.get('x-request-id') ?? undefined);
    }
  }

  /**
   * A request whose answer is read as it comes (an event stream): no timeout and no retry, as it has no end; the
   * caller ends it with `signal`. An error answer is a KvApiError.
   */
  async stream(request: Pick<ApiRequest, 'method' | 'path' | 'params' | 'query'>, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await this.fetch(this.url(request), { method: request.method, headers, signal });
    if (response.ok) return response;
    throw apiErrorOf(response.status, jsonOrText(await response.text()), response.headers.get('x-request-id') ?? undefined);
  }

  /** The wait before attempt `failures + 1` of something that failed `failures` times; over at once when `signal` aborts. */
  async backoff(failures: number, signal: AbortSignal): Promise<void> {
    let stop = (): void => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    signal.addEventListener('abort', stop, { once: true });
    try {
      await Promise.race([this.sleep(retryDelayMs(failures, null, this.retry, this.random), signal), stopped]);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** One attempt, its body read under the same timeout: a connection can also break while the body streams. */
  private async attempt(url: string, init: RequestInit): Promise<{ response: Response; text: string }> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.fetch(url, { ...init, signal });
      return { response, text: await response.text() };
    } catch (error) {
      throw signal.aborted ? new KvTimeoutError(url, this.timeoutMs) : error;
    }
  }
}

/** A timer that an abort clears, so that a stopped wait keeps no process alive. */
function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Whether an error answer is worth asking again. A 429 or 503 is, for a read and for a write with an
 * Idempotency-Key (whose repeat the gateway answers with the first outcome), and so is such a write's
 * IDEMPOTENCY_KEY_IN_PROGRESS. A write without a key only when the gateway says it never reached a service
 * (rate limited, or SERVICE_UNAVAILABLE): after SERVICE_TIMEOUT the service may have applied it.
 */
function codeOf(body: unknown): unknown {
  return (body as { code?: unknown } | null)?.code;
}

function safeToRetry(request: ApiRequest, status: number, body: unknown): boolean {
  const code = codeOf(body);
  if (request.idempotencyKey !== undefined) return RETRYABLE_STATUSES.has(status) || code === KEY_IN_PROGRESS;
  if (!RETRYABLE_STATUSES.has(status)) return false;
  return request.method === 'GET' || code === 'RATE_LIMITED' || code === 'SERVICE_UNAVAILABLE';
}

/** fetch fails with a TypeError when the connection cannot be made or breaks; the rest is the client's own timeout. */
function isBrokenCall(error: unknown): boolean {
  return error instanceof TypeError || error instanceof KvTimeoutError;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
