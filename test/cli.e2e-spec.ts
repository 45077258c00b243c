/** The real `kv` command (dist/apps/cli/src/kv.js, as `npx kv` runs it) against the real platform. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { formatDotenv } from '@kv-service/client';
import { platformState, tokenFor, uniqueName } from './support/api';
import { anAdmin } from './support/principals';

// Every step starts a node process (~0.3 s): a test of a dozen steps needs more than Jest's default.
jest.setTimeout(60_000);

const KV = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'kv.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let token: string;
const workDir = mkdtempSync(join(tmpdir(), 'kv-cli-e2e-'));

function kv(args: string[], env: Record<string, string> = {}, stdin: string | Buffer = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [KV, ...args],
      // No config file of the machine's user may leak in.
      {
        env: { PATH: process.env.PATH, KV_URL: platformState().gatewayUrl, KV_TOKEN: token, KV_CONFIG: join(workDir, 'none.json'), ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

async function kvJson<T = any>(args: string[]): Promise<T> {
  const run = await kv(['--json', ...args]);
  if (run.code !== 0) throw new Error(`kv ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

describe('kv command line', () => {
  let app: string;
  let plain: string;

  beforeAll(async () => {
    token = await tokenFor(anAdmin({ id: 'cli-user' }));
    app = uniqueName('cli');
    plain = `${app}/config`;
    const created = await kvJson(['ns', 'create', plain, '--description', 'from the CLI']);
    expect(created).toMatchObject({ applicationId: app, name: 'config', description: 'from the CLI', isSecretNamespace: false });
  });

  it('namespaces: list, get by application/name and by id, update', async () => {
    const listed = await kvJson<Array<{ id: string; name: string }>>(['ns', 'list', '--app', app]);
    expect(listed.map((namespace) => namespace.name)).toEqual(['config']);
    const byName = await kvJson(['ns', 'get', plain]);
    expect(await kvJson(['ns', 'get', byName.id])).toEqual(byName);
    expect(await kvJson(['ns', 'update', plain, '--description', 'changed', '--default-ttl', '3600'])).toMatchObject({
      id: byName.id,
      name: 'config',
      description: 'changed',
      defaultTtlSeconds: 3600,
    });
    const table = await kv(['ns', 'list', '--app', app]);
    expect(table.stdout).toContain(`${app}/config`);
  });

  it('set and get typed values under hierarchical keys, list by prefix, delete', async () => {
    expect((await kv(['set', plain, 'db/host', 'db.internal'])).stdout).toBe('created db/host (version 1)\n');
    expect((await kv(['set', plain, 'db/port', '5432', '--type', 'NUMBER', '--metadata', '{"owner":"team"}'])).code).toBe(0);
    expect((await kv(['set', plain, 'flags/beta', 'true', '--type', 'BOOLEAN', '--ttl', '600'])).code).toBe(0);
    expect((await kv(['set', plain, 'limits', '{"rps":[1,2]}', '--type', 'JSON'])).code).toBe(0);
    expect((await kv(['set', plain, 'blob', 'AAH/', '--type', 'BINARY'])).code).toBe(0);
    expect((await kv(['set', plain, 'odd keys/a b?c#d%', 'x'])).code).toBe(0);

    expect((await kv(['get', plain, 'db/host'])).stdout).toBe('db.internal\n');
    expect(await kvJson(['get', plain, 'db/port'])).toMatchObject({
      keyPath: 'db/port',
      value: 5432,
      valueType: 'NUMBER',
      metadata: { owner: 'team' },
    });
    expect((await kvJson(['get', plain, 'flags/beta'])).value).toBe(true);
    expect((await kvJson(['get', plain, 'limits'])).value).toEqual({ rps: [1, 2] });
    expect((await kv(['get', plain, 'blob'])).stdout).toBe('AAH/\n');
    expect((await kv(['get', plain, 'odd keys/a b?c#d%'])).stdout).toBe('x\n');

    // Conditional write: version 1 is current, so --if-version 0 conflicts (exit 1) and 1 succeeds.
    const conflict = await kv(['set', plain, 'db/host', 'other', '--if-version', '0']);
    expect(conflict).toMatchObject({ code: 1, stderr: expect.stringContaining('VERSION_CONFLICT') });
    expect((await kv(['set', plain, 'db/host', 'db2.internal', '--if-version', '1'])).stdout).toBe('updated db/host (version 2)\n');

    const listed = await kvJson<Array<{ keyPath: string }>>(['list', plain, '--prefix', 'db/']);
    expect(listed.map((entry) => entry.keyPath)).toEqual(['db/host', 'db/port']);
    expect((await kv(['list', plain, '--prefix', 'db/'])).stdout).toMatch(
      /^KEY +TYPE +VERSION +VALUE\ndb\/host +STRING +2 +db2\.internal\ndb\/port +NUMBER +1 +5432\n$/,
    );

    expect((await kv(['delete', plain, 'flags/beta'])).code).toBe(0);
    expect(await kv(['get', plain, 'flags/beta'])).toMatchObject({ code: 3, stderr: expect.stringContaining('ENTRY_NOT_FOUND') });
  });

  it('exit codes: 3 for what does not exist, 2 for a wrong command line', async () => {
    expect((await kv(['get', `${app}/nope`, 'k'])).code).toBe(3);
    expect((await kv(['get', '00000000-0000-4000-8000-000000000000', 'k'])).code).toBe(3);
    expect((await kv(['delete', plain, 'never/was'])).code).toBe(3);
    expect((await kv(['get', plain])).code).toBe(2);
    expect((await kv(['frobnicate'])).code).toBe(2);
    expect((await kv(['set', plain, 'n', 'abc', '--type', 'NUMBER'])).code).toBe(2);
    expect((await kv(['get', 'not-a-namespace', 'k'])).code).toBe(2);
    expect((await kv(['ns', 'delete', plain])).code).toBe(2);
    expect((await kv(['ns', 'list'], { KV_URL: '' })).code).toBe(2);
    expect((await kv(['--help'])).code).toBe(0);
  });

  it('secrets: rotate, versions, rollback, old versions', async () => {
    const secret = `${app}/secrets`;
    expect((await kv(['ns', 'create', secret, '--secret', '--max-versions', '10'])).code).toBe(0);
    expect((await kv(['set', secret, 'db/password', 'first-password'])).code).toBe(0);
    const rotated = await kv(['rotate', secret, 'db/password', '--length', '40', '--alphabet', 'hex', '--reason', 'quarterly']);
    expect(rotated.code).toBe(0);
    const generated = rotated.stdout.trim();
    expect(generated).toMatch(/^[0-9a-f]{40}$/);
    expect((await kv(['get', secret, 'db/password'])).stdout).toBe(`${generated}\n`);
    const given = await kv(['rotate', secret, 'db/password', '--value', 'third-password']);
    expect(given.stdout).toBe('rotated db/password (version 3)\n');

    const versions = await kvJson<Array<{ version: number; change: string; reason: string | null }>>(['versions', secret, 'db/password']);
    expect(versions.map((version) => [version.version, version.change, version.reason])).toEqual([
      [3, 'ROTATION', null],
      [2, 'ROTATION', 'quarterly'],
      [1, 'CREATE', null],
    ]);
    expect((await kv(['rollback', secret, 'db/password', '1', '--reason', 'broke the app'])).stdout).toBe(
      'rolled db/password back to version 1 (now version 4)\n',
    );
    expect((await kv(['get', secret, 'db/password'])).stdout).toBe('first-password\n');
    expect((await kv(['get', secret, 'db/password', '--version', '3'])).stdout).toBe('third-password\n');
    expect((await kv(['get', secret, 'db/password', '--version', '99'])).code).toBe(3);
    // Versions are for secret namespaces only: a plain one refuses (an error, not "not found").
    expect((await kv(['versions', plain, 'db/host'])).code).toBe(1);
  });

  it('secrets from standard input (-), never on the command line', async () => {
    const secret = `${app}/stdin-secrets`;
    expect((await kv(['ns', 'create', secret, '--secret'])).code).toBe(0);
    const set = await kv(['set', secret, 'api/key', '-'], {}, 'piped-api-key\n');
    expect(set).toMatchObject({ code: 0, stdout: 'created api/key (version 1)\n' });
    expect((await kv(['get', secret, 'api/key'])).stdout).toBe('piped-api-key\n');
    const rotated = await kv(['rotate', secret, 'api/key', '--value', '-'], {}, 'rotated-api-key\n');
    expect(rotated).toMatchObject({ code: 0, stdout: 'rotated api/key (version 2)\n' });
    expect((await kv(['get', secret, 'api/key'])).stdout).toBe('rotated-api-key\n');
    // Typed values too: the text read is parsed as the type.
    expect((await kv(['set', plain, 'limits/rps', '-', '--type', 'NUMBER'], {}, '250\n')).code).toBe(0);
    expect(await kvJson(['get', plain, 'limits/rps'])).toMatchObject({ value: 250, valueType: 'NUMBER' });
    // BINARY from a pipe is the bytes themselves (a certificate, a keystore), line breaks included.
    const bytes = Buffer.from([0x30, 0x82, 0x0a, 0xff, 0x0a]);
    expect((await kv(['set', secret, 'tls/keystore', '-', '--type', 'BINARY'], {}, bytes)).code).toBe(0);
    expect((await kv(['get', secret, 'tls/keystore'])).stdout).toBe(`${bytes.toString('base64')}\n`);
    // An empty pipe (an unset variable, most likely) is refused before anything is written.
    const empty = await kv(['rotate', secret, 'api/key', '--value', '-'], {}, '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('standard input was empty');
    expect(await kvJson(['get', secret, 'api/key'])).toMatchObject({ version: 2 });
  });

  it('audit: records by namespace and action; verify', async () => {
    const writes = await kvJson<Array<{ action: string; keyPath: string; userId: string; success: boolean }>>([
      'audit',
      '--namespace',
      plain,
      '--action',
      'WRITE',
      '--limit',
      '3',
    ]);
    expect(writes).toHaveLength(3);
    expect(writes.every((record) => record.action === 'WRITE' && record.userId === 'cli-user')).toBe(true);
    const failed = await kvJson<Array<{ errorCode: string }>>(['audit', '--namespace', plain, '--success', 'false']);
    expect(failed.map((record) => record.errorCode)).toContain('VERSION_CONFLICT');
    expect(await kvJson(['audit', 'verify'])).toMatchObject({ ok: true });
    expect((await kv(['audit', 'verify'])).stdout).toMatch(/^ok: \d+ records checked\n$/);
  });

  it('import of a 5000-line .env file, then its export, gives back the same file', async () => {
    const namespace = `${app}/env`;
    expect((await kv(['ns', 'create', namespace])).code).toBe(0);
    const awkward = [
      'plain',
      'two words',
      ' padded ',
      'a#hash',
      "it's",
      'say "hi"',
      'line 1\nline 2',
      'C:\\new\\path',
      'ü ключ 🎉',
      '',
      'a=b',
    ];
    const lines: Array<[string, string]> = Array.from({ length: 5000 }, (_, i) => [
      `VAR_${String(i).padStart(4, '0')}`,
      `${awkward[i % awkward.length]}-${i}`,
    ]);
    // Written by the exporter's own formatter, so that the export can be compared byte for byte.
    const input = formatDotenv(lines);
    expect(input.split('\n')).toHaveLength(5001);
    const file = join(workDir, 'big.env');
    writeFileSync(file, input);

    const importStarted = Date.now();
    const imported = await kv(['import', namespace, file, '--prefix', 'env/']);
    const importMs = Date.now() - importStarted;
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringMatching(/^imported 5000 entries into /) });
    // Not a terminal: no progress bar on stderr.
    expect(imported.stderr).toBe('');

    const exportStarted = Date.now();
    const output = join(workDir, 'exported.env');
    expect((await kv(['export', namespace, '--prefix', 'env/', '--format', 'dotenv', '--output', output])).code).toBe(0);
    const exportMs = Date.now() - exportStarted;
    const exported = readFileSync(output, 'utf8');
    expect(exported).toBe(input);
    expect(Object.entries(parse(exported))).toEqual(lines);
    console.log(`kv import of 5000 .env lines: ${importMs} ms; export: ${exportMs} ms (each including node start-up)`);
  });

  it('import of a JSON file (nested objects as key paths, typed values), then its export', async () => {
    const namespace = `${app}/json`;
    expect((await kv(['ns', 'create', namespace])).code).toBe(0);
    const tree = {
      database: { host: 'db', port: 5432, tls: true, replicas: ['a', 'b'] },
      features: { beta: { enabled: false, ratio: 0.25 } },
      name: 'billing',
    };
    const file = join(workDir, 'settings.json');
    writeFileSync(file, JSON.stringify(tree));
    expect((await kv(['import', namespace, file])).code).toBe(0);
    expect(await kvJson(['get', namespace, 'database/port'])).toMatchObject({ value: 5432, valueType: 'NUMBER' });
    expect(await kvJson(['get', namespace, 'database/replicas'])).toMatchObject({ value: ['a', 'b'], valueType: 'JSON' });
    expect(await kvJson(['get', namespace, 'features/beta/enabled'])).toMatchObject({ value: false, valueType: 'BOOLEAN' });
    const exported = await kv(['export', namespace, '--format', 'json']);
    expect(JSON.parse(exported.stdout)).toEqual(tree);
  });

  it('token: mints a token with the platform secret that the gateway accepts; refuses unknown permissions', async () => {
    const secretEnv = { KV_JWT_SECRET: platformState().jwtSecret };
    const minted = await kv(['token', '--sub', 'reader', '--permissions', 'kv-namespace:read', '--apps', app, '--ttl', '5m'], secretEnv);
    expect(minted.code).toBe(0);
    const listed = await kv(['--json', 'ns', 'list'], { KV_TOKEN: minted.stdout.trim() });
    const visible = JSON.parse(listed.stdout) as Array<{ applicationId: string }>;
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((namespace) => namespace.applicationId === app)).toBe(true);
    expect((await kv(['token', '--sub', 'x', '--apps', app], secretEnv)).code).toBe(2);
    expect((await kv(['set', plain, 'k', 'v'], { KV_TOKEN: minted.stdout.trim() })).code).toBe(1);
    expect((await kv(['token', '--sub', 'x', '--permissions', 'kv-everything'], secretEnv)).code).toBe(2);
  });

  it('deletes a namespace with --yes', async () => {
    const doomed = `${app}/doomed`;
    expect((await kv(['ns', 'create', doomed])).code).toBe(0);
    expect((await kv(['ns', 'delete', doomed, '--yes'])).code).toBe(0);
    expect((await kv(['ns', 'get', doomed])).code).toBe(3);
  });
});
