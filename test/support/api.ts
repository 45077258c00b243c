import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Principal } from '@app/permissions';
import { useFixture } from './fixture';
import { anAdmin, signedToken } from './principals';
import type { TestPlatformState } from './test-platform';

export function platformState(): TestPlatformState {
  const file = process.env.KV_E2E_STATE;
  if (!file) throw new Error('KV_E2E_STATE is not set: run e2e tests through jest --selectProjects e2e');
  return JSON.parse(readFileSync(file, 'utf8')) as TestPlatformState;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  baseUrl?: string;
}

/** One HTTP call to the gateway; `path` is relative to `/api/v1/kv`. */
export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${options.baseUrl ?? platformState().gatewayUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. the Swagger HTML): keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** A token of `principal` (from ./principals) for the shared platform; an admin's by default. */
export function tokenFor(principal: Principal = anAdmin({ id: 'e2e-user' })): Promise<string> {
  return signedToken(principal, platformState().jwtSecret);
}

/** A name no other test (or test run) uses, so that tests can share one platform. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a namespace with an admin token and returns it. */
export async function createNamespace(
  token: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; applicationId: string; name: string }> {
  const response = await call('POST', '/namespaces', {
    token,
    body: { name: uniqueName('ns'), applicationId: uniqueName('app'), ...body },
  });
  if (response.status !== 201) throw new Error(`namespace create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A namespace of the shared platform, and the token of the principal who made it. */
export interface TestNamespace {
  id: string;
  applicationId: string;
  name: string;
  /** The token of its maker, an admin unless the test says otherwise. */
  admin: string;
}

/** A namespace made with `body` by `principal` in the describe block's beforeAll; it stays, as every test's does. */
export function useNamespace(body: Record<string, unknown> = {}, principal?: Principal): TestNamespace {
  return useFixture('the namespace', async () => {
    const admin = await tokenFor(principal);
    return { ...(await createNamespace(admin, body)), admin };
  });
}

/** Tokens of `principals`, signed in the describe block's beforeAll: `useTokens({ admin: anAdmin() }).admin`. */
export function useTokens<Name extends string>(principals: Record<Name, Principal>): Record<Name, string> {
  return useFixture('the tokens', async () => {
    const tokens = {} as Record<Name, string>;
    for (const name of Object.keys(principals) as Name[]) tokens[name] = await tokenFor(principals[name]);
    return tokens;
  });
}

/**
 * A request whose path goes out exactly as written. fetch() follows the URL standard and resolves
 * `.`, `..`, `%2E` and `%2E%2E` segments before sending; real clients need not.
 */
export function callVerbatim(method: string, path: string, token: string, body?: unknown): Promise<ApiResponse> {
  const target = new URL(platformState().gatewayUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: `${target.pathname}${path}`,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
