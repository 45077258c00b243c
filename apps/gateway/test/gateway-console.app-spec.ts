import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode } from '@app/contracts';
import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../src/console/serve-console';
import { BootedGateway, bootGateway } from './support/boot-gateway';

const INDEX_HTML = '<!doctype html><script type="module" src="/api/v1/kv/ui/assets/index-abc123.js"></script>';
const SCRIPT = 'console.log("console")';

/** A console build as Vite writes it, in a directory of its own. */
function fakeConsoleBuild(): string {
  const directory = mkdtempSync(join(tmpdir(), 'kv-console-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(join(directory, 'index.html'), INDEX_HTML);
  writeFileSync(join(directory, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(directory, '.env'), 'KV_JWT_SECRET=not-for-the-web');
  return directory;
}

describe('the web console at /api/v1/kv/ui/ (in-process)', () => {
  const directory = fakeConsoleBuild();
  let app: NestFastifyApplication;
  let auditPublish: BootedGateway['auditPublish'];

  beforeAll(async () => {
    ({ app, auditPublish } = await bootGateway({ KV_CONSOLE_DIR: directory, KV_REFUSED_RATE_LIMIT_REQUESTS: '2' }));
  });

  afterAll(async () => {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const get = (url: string, remoteAddress = '192.0.2.1') => app.inject({ method: 'GET', url, remoteAddress });

  it('serves index.html without a token, uncached, under a strict Content-Security-Policy', async () => {
    const response = await get('/api/v1/kv/ui/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/api/v1/kv/ui')).body).toBe(INDEX_HTML);
  });

  it('caches a hashed asset for good', async () => {
    const response = await get('/api/v1/kv/ui/assets/index-abc123.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.body).toBe(SCRIPT);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it("answers the console's own routes with index.html, for the page to route them, a dot in the last segment or not", async () => {
    for (const url of ['/api/v1/kv/ui/namespaces/3f0c9a4e', '/api/v1/kv/ui/namespaces/3f0c9a4e/entry/tls/cert.pem']) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX_HTML);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers a missing file under assets/ 404 in the error shape, unaudited', async () => {
    auditPublish.mockClear();
    for (const url of ['/api/v1/kv/ui/assets/index-gone.js', '/api/v1/kv/ui/assets/favicon.ico']) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'no such file in the web console',
        code: ErrorCode.ROUTE_NOT_FOUND,
      });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(auditPublish).not.toHaveBeenCalled();
  });

  it('serves no file outside the build, nor a dotfile in it, however the path is spelled', async () => {
    for (const url of [
      '/api/v1/kv/ui/../../../package.json',
      '/api/v1/kv/ui/assets/..%2f..%2f..%2fpackage.json',
      '/api/v1/kv/ui/%2e%2e/%2e%2e/package.json',
      '/api/v1/kv/ui/..%5c..%5cpackage.json',
      '/api/v1/kv/ui/.env',
    ]) {
      const response = await get(url);
      expect(response.body).not.toMatch(/kv-service|KV_JWT_SECRET/);
      expect([200, 404]).toContain(response.statusCode);
      if (response.statusCode === 200) expect(response.body).toBe(INDEX_HTML);
    }
  });

  it('keeps serving an address that the limit for refused calls turns away', async () => {
    const refused = () => app.inject({ method: 'GET', url: '/api/v1/kv/namespaces', remoteAddress: '192.0.2.9' });
    const statuses = [(await refused()).statusCode, (await refused()).statusCode, (await refused()).statusCode];
    expect(statuses).toEqual([401, 401, 429]);
    expect((await get('/api/v1/kv/ui/', '192.0.2.9')).statusCode).toBe(200);
    expect((await get('/api/v1/kv/ui/assets/index-abc123.js', '192.0.2.9')).statusCode).toBe(200);
  });
});

describe('a gateway without the console built', () => {
  it('starts, and answers 404 at /api/v1/kv/ui/ saying the console is not part of the build', async () => {
    const fastify = Fastify();
    serveConsole(fastify, join(tmpdir(), 'kv-console-never-built'));
    for (const url of ['/api/v1/kv/ui/', '/api/v1/kv/ui/namespaces']) {
      const response = await fastify.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: ErrorCode.ROUTE_NOT_FOUND, message: expect.stringMatching(/not part of this build/) });
    }
    await fastify.close();
  });
});
