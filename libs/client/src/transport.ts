import { apiErrorOf } from './errors';
import type { paths } from './generated/openapi';
import { RETRYABLE_STATUSES, RetryOptions, retryDelayMs } from './retry';

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
  /** Defaults to the global fetch; tests pass a fake. */
  fetch?: typeof fetch;
  /** Defaults to a timer; tests pass one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 };
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

/** JSON over HTTP with the bearer token, retries on 429/503, and errors as KvApiError. */
export class Transport {
  private readonly origin: string;
  private readonly retry: Required<RetryOptions>;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.origin = gatewayOrigin(options.baseUrl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!Number.isInteger(this.retry.attempts) || this.retry.attempts < 1)
      throw new Error('retry.attempts must be a whole number of at least 1');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
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
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetch(url, { method: request.method, headers, body: payload });
      if (response.ok) {
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
      }
      const body = await jsonOrText(response);
      if (RETRYABLE_STATUSES.has(response.status) && attempt < this.retry.attempts && safeToRetry(request.method, body)) {
        await this.sleep(retryDelayMs(attempt, response.headers.get('retry-after'), this.retry, this.random));
        continue;
      }
      throw apiErrorOf(response.status, body, response.headers.get('x-request-id') ?? undefined);
    }
  }
}

/**
 * A read can always be asked again. A write only when the gateway says it never reached a service
 * (rate limited, or SERVICE_UNAVAILABLE); after SERVICE_TIMEOUT the service may have applied it, and asking
 * again could apply it twice (a second rotation) or fail a write that succeeded (a VERSION_CONFLICT).
 */
function safeToRetry(method: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  const code = (body as { code?: unknown } | null)?.code;
  return code === 'RATE_LIMITED' || code === 'SERVICE_UNAVAILABLE';
}

async function jsonOrText(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
