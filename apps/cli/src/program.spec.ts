import { KvTimeoutError } from '@kv-service/client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from './program';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const ENV = { KV_URL: 'http://gw:8080', KV_TOKEN: 't0ken', KV_CONFIG: '/nonexistent/kv.json' };
const ENTRY = { id: 'e', namespaceId: NS, keyPath: 'k', value: 'v', valueType: 'STRING', version: 1, metadata: null, expiresAt: null };

/** The gateway as the command's client sees it: global fetch, answering `answer(url, init)` and recording the calls. */
function gateway(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: Array<{ url: string; method?: string; headers: Record<string, string> }> = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (url, init = {}) => {
    calls.push({ url: String(url), method: init.method, headers: init.headers as Record<string, string> });
    return answer(String(url), init);
  });
  return calls;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const kv = (...args: string[]) => buildProgram(ENV).parseAsync(['node', 'kv', ...args]);

describe('kv command', () => {
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  it('a write sends a fresh Idempotency-Key, or the one given with --idempotency-key', async () => {
    const calls = gateway(() => json(200, ENTRY));
    await kv('set', NS, 'k', 'v');
    await kv('set', NS, 'k', 'v', '--idempotency-key', 'deploy-41-k');
    await kv('rotate', NS, 'k', '--idempotency-key', 'deploy-41-rotate');
    await kv('rollback', NS, 'k', '1', '--idempotency-key', 'deploy-41-rollback');
    await kv('ns', 'delete', NS, '--yes', '--idempotency-key', 'deploy-41-drop');
    expect(calls.map((call) => call.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      'deploy-41-k',
      'deploy-41-rotate',
      'deploy-41-rollback',
      'deploy-41-drop',
    ]);
  });

  it('an import with a key sends <key>-n with bulk call n', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kv-import-')), 'big.env');
    writeFileSync(file, Array.from({ length: 1001 }, (_, i) => `K${i}=v`).join('\n'));
    const calls = gateway(() => json(200, { items: [] }));
    await kv('import', NS, file, '--idempotency-key', 'import-7');
    expect(calls.map((call) => call.headers['idempotency-key'])).toEqual(['import-7-1', 'import-7-2']);
  });

  it('--timeout gives up an attempt after that many seconds without an answer', async () => {
    const calls = gateway(
      (_url, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason))),
    );
    const failure = await kv('--timeout', '1', 'get', NS, 'k').catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(KvTimeoutError);
    expect(failure).toMatchObject({ timeoutMs: 1000 });
    expect(calls).toHaveLength(1);
  });
});
