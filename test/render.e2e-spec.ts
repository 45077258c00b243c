/** `kv render` (the built dist/apps/cli/src/kv.js) against the real platform: files, defaults, errors, --watch, --exec. */
import { KvClient } from '@kv-service/client';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformState, tokenFor, uniqueName } from './support/api';
import { anAdmin } from './support/principals';
import { HttpFaultProxy } from './support/http-fault-proxy';
import { eventually } from './support/workload';

// Every step starts a node process (~0.3 s), and a watch waits for the gateway's events.
jest.setTimeout(90_000);

const KV = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'kv.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let token: string;
const workDir = mkdtempSync(join(tmpdir(), 'kv-render-e2e-'));

function kvEnv(gatewayUrl = platformState().gatewayUrl): NodeJS.ProcessEnv {
  // No config file of the machine's user may leak in.
  return { PATH: process.env.PATH, KV_URL: gatewayUrl, KV_TOKEN: token, KV_CONFIG: join(workDir, 'none.json') };
}

function kv(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KV, ...args], { env: kvEnv() }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Watchers still running: a failed test leaves none behind. */
const running = new Set<ChildProcess>();
afterAll(() => running.forEach((child) => child.kill('SIGKILL')));

/** A `kv render --watch` running in the background, its output collected. */
class Watcher {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], gatewayUrl?: string) {
    this.child = spawn(process.execPath, [KV, ...args], { env: kvEnv(gatewayUrl), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    running.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      }),
    );
  }

  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** Waits (up to 30 s) until `check` holds, and says what was seen if it never did. */
async function until(what: string, check: () => boolean, seen: () => string): Promise<void> {
  if (!(await eventually(async () => check(), 30_000, 100))) throw new Error(`never saw ${what}; saw:\n${seen()}`);
}

const linesOf = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('kv render', () => {
  let client: KvClient;
  let app: string;
  let plain: string;
  let secrets: string;
  /** A secret value the tests look for where it must not be. */
  const planted = `planted-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    token = await tokenFor(anAdmin({ id: 'render-user' }));
    client = new KvClient({ baseUrl: platformState().gatewayUrl, token });
    app = uniqueName('render');
    plain = `${app}/config`;
    secrets = `${app}/secrets`;
    const config = await client.createNamespace({ applicationId: app, name: 'config', isSecretNamespace: false });
    const vault = await client.createNamespace({ applicationId: app, name: 'secrets', isSecretNamespace: true });
    await client.bulkSet(config.id, [
      { key: 'db/host', value: 'db.internal' },
      { key: 'db/port', value: 5432 },
      { key: 'flags/beta', value: true },
      { key: 'cfg', value: { tls: { port: 8443 }, hosts: ['a.internal', 'b.internal'] } },
      { key: 'banner', value: `<b>"Tom" & 'Jerry'</b>` },
    ]);
    await client.putEntry(vault.id, 'db/password', planted);
  });

  /** A template file of `lines` in the work directory. */
  function template(name: string, lines: string[]): string {
    const file = join(workDir, name);
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  const appTemplate = () =>
    template('app.conf.njk', [
      `host={{ kv('db/host', '${plain}') }}`,
      `port={{ kv('db/port', '${plain}') + 1 }}`,
      `tls={{ kv('cfg', '${plain}').tls.port }}`,
      `{% for host in kv('cfg', '${plain}').hosts %}upstream={{ host }}`,
      `{% endfor %}beta={{ 'yes' if kv('flags/beta', '${plain}') else 'no' }}`,
      `banner={{ kv('banner', '${plain}') }}`,
      `password={{ kv('db/password', '${secrets}') }}`,
      `timeout={{ kv('timeout', '${plain}', false) | default(30) }}`,
      `region={{ kv('region', errorOnMissing=false) | default('eu-west-1') }}`,
      '',
    ]);

  const expectedApp = (host = 'db.internal', password = planted) =>
    [
      `host=${host}`,
      'port=5433',
      'tls=8443',
      'upstream=a.internal',
      'upstream=b.internal',
      'beta=yes',
      `banner=<b>"Tom" & 'Jerry'</b>`,
      `password=${password}`,
      'timeout=30',
      'region=eu-west-1',
      '',
    ].join('\n');

  it('renders a plain and a secret namespace to a file with mode 0600, typed, unescaped, with defaults; no value in its output', async () => {
    const out = join(mkdtempSync(join(workDir, 'out-')), 'app.conf');
    const run = await kv(['render', appTemplate(), '-o', out, '--namespace', plain]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toBe(expectedApp());
    expect(modeOf(out)).toBe(0o600);
    expect(run.stderr).not.toContain(planted);
    expect(readdirSync(join(out, '..'))).toEqual(['app.conf']);

    // Without -o, the output is standard output.
    const printed = await kv(['render', appTemplate(), '--namespace', plain]);
    expect(printed).toMatchObject({ code: 0, stdout: expectedApp() });
  });

  it('a missing key, an unknown namespace or a syntax error: exit non-zero, the line told, the file untouched', async () => {
    const directory = mkdtempSync(join(workDir, 'out-'));
    const out = join(directory, 'app.conf');
    writeFileSync(out, 'the last good render\n', { mode: 0o600 });
    const before = statSync(out);

    const missing = await kv(['render', template('missing.njk', ['ok', `x={{ kv('db/nope', '${plain}') }}`]), '-o', out]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`kv: ${join(workDir, 'missing.njk')}:2:8: key "db/nope" not found in namespace ${plain}\n`);

    const unknown = await kv(['render', template('unknown.njk', [`{{ kv('k', '${app}/nope') }}`]), '-o', out]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(`kv: ${join(workDir, 'unknown.njk')}:1:6: namespace ${app}/nope not found\n`);

    const syntax = await kv(['render', template('syntax.njk', ['ok', `{% if %}{{ kv('db/host', '${plain}') }}{% endif %}`]), '-o', out]);
    expect(syntax).toMatchObject({ code: 1, stderr: `kv: ${join(workDir, 'syntax.njk')}:2:7: unexpected token: %}\n` });

    const after = statSync(out);
    expect([after.ino, after.mtimeMs, readFileSync(out, 'utf8')]).toEqual([before.ino, before.mtimeMs, 'the last good render\n']);
    expect(readdirSync(directory)).toEqual(['app.conf']);
  });

  it('rewrites a file atomically (a new file renamed over it, mode 0600), and not at all, nor --exec, when unchanged', async () => {
    const directory = mkdtempSync(join(workDir, 'out-'));
    const out = join(directory, 'app.conf');
    const log = join(directory, 'exec.log');
    writeFileSync(out, 'stale\n', { mode: 0o644 });
    const stale = statSync(out);
    const exec = `echo rendered >> '${log}'`;

    const first = await kv(['render', appTemplate(), '-o', out, '--namespace', plain, '--exec', exec]);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toBe(`kv: --exec exited with code 0\n`);
    const rendered = statSync(out);
    expect(rendered.ino).not.toBe(stale.ino);
    expect(modeOf(out)).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toBe(expectedApp());
    expect(linesOf(log)).toEqual(['rendered']);

    const again = await kv(['render', appTemplate(), '-o', out, '--namespace', plain, '--exec', exec]);
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect([statSync(out).ino, statSync(out).mtimeMs]).toEqual([rendered.ino, rendered.mtimeMs]);
    expect(linesOf(log)).toEqual(['rendered']);

    // A failing --exec is told and fails the command.
    writeFileSync(out, 'stale again\n');
    const failing = await kv(['render', appTemplate(), '-o', out, '--namespace', plain, '--exec', 'exit 7']);
    expect(failing).toMatchObject({ code: 1, stderr: 'kv: --exec exited with code 7\n' });
    expect(readFileSync(out, 'utf8')).toBe(expectedApp());
  });

  it('--watch renders again after a PUT and runs --exec each time the file changed, keeps the last render through a missing key, ends at SIGTERM', async () => {
    const directory = mkdtempSync(join(workDir, 'watch-'));
    const out = join(directory, 'app.conf');
    const log = join(directory, 'exec.log');
    const configId = await idOf(plain);
    const secretsId = await idOf(secrets);
    const watcher = new Watcher([
      'render',
      appTemplate(),
      '-o',
      out,
      '--namespace',
      plain,
      '--watch',
      '--debounce',
      '50',
      '--exec',
      `echo rendered >> '${log}'`,
    ]);
    const seen = () => `${watcher.stderr}\n--- ${out}:\n${existsSync(out) ? readFileSync(out, 'utf8') : '(none)'}`;
    try {
      await until('the first render and its --exec', () => linesOf(log).length === 1, seen);
      expect(readFileSync(out, 'utf8')).toBe(expectedApp());
      expect(modeOf(out)).toBe(0o600);

      await client.putEntry(configId, 'db/host', 'db2.internal');
      await until('the render of the new host', () => linesOf(log).length === 2, seen);
      expect(readFileSync(out, 'utf8')).toBe(expectedApp('db2.internal'));

      // A secret namespace's change comes through its watch as well.
      const rotated = `${planted}-rotated`;
      await client.putEntry(secretsId, 'db/password', rotated);
      await until('the render of the new password', () => linesOf(log).length === 3, seen);
      expect(readFileSync(out, 'utf8')).toBe(expectedApp('db2.internal', rotated));

      // A key the template needs is deleted: told, and the file keeps the last render; back, and it renders again.
      await client.deleteEntry(configId, 'db/host');
      await until('the missing key told', () => watcher.stderr.includes(`key "db/host" not found in namespace ${plain}`), seen);
      expect(readFileSync(out, 'utf8')).toBe(expectedApp('db2.internal', rotated));
      expect(linesOf(log)).toHaveLength(3);
      await client.putEntry(configId, 'db/host', 'db3.internal');
      await until('the render after the key came back', () => linesOf(log).length === 4, seen);
      expect(readFileSync(out, 'utf8')).toBe(expectedApp('db3.internal', rotated));
      expect(readdirSync(directory).sort()).toEqual(['app.conf', 'exec.log']);
    } finally {
      const ended = await watcher.stop('SIGTERM');
      expect(ended).toEqual({ code: 0, signal: null });
    }
    expect(watcher.stdout).toBe('');
    expect(watcher.stderr).not.toContain(planted);
    expect(watcher.stderr).toContain('kv: --exec exited with code 0');
    expect(watcher.stderr).toContain(`kv: wrote ${out}\n`);
  });

  it('--watch follows a namespace from when a value names it, and ends at SIGINT', async () => {
    const out = join(mkdtempSync(join(workDir, 'moved-')), 'moved.conf');
    const configId = await idOf(plain);
    const other = await client.createNamespace({ applicationId: app, name: 'other', isSecretNamespace: false });
    await client.bulkSet(configId, [
      { key: 'moved/source', value: plain },
      { key: 'moved/host', value: 'here' },
    ]);
    await client.putEntry(other.id, 'moved/host', 'there');
    const file = template('moved.njk', ["host={{ kv('moved/host', kv('moved/source')) }}", '']);
    const watcher = new Watcher(['render', file, '-o', out, '--namespace', plain, '--watch', '--debounce', '50']);
    const seen = () => `${watcher.stderr}\n--- ${out}:\n${existsSync(out) ? readFileSync(out, 'utf8') : '(none)'}`;
    const renders = (host: string) => () => existsSync(out) && readFileSync(out, 'utf8') === `host=${host}\n`;
    try {
      await until('the first render', renders('here'), seen);
      await client.putEntry(configId, 'moved/source', `${app}/other`);
      await until('the render from the other namespace', renders('there'), seen);
      // Followed now: its change renders again.
      await client.putEntry(other.id, 'moved/host', 'there, changed');
      await until('the render of its change', renders('there, changed'), seen);
    } finally {
      expect(await watcher.stop('SIGINT')).toEqual({ code: 0, signal: null });
    }
  });

  it('--watch: a render the gateway cannot serve is tried again until it can, without another change', async () => {
    const flaky = await client.createNamespace({ applicationId: app, name: 'flaky', isSecretNamespace: false });
    await client.putEntry(flaky.id, 'k', 'one');
    const out = join(mkdtempSync(join(workDir, 'flaky-')), 'flaky.conf');
    const proxy = await HttpFaultProxy.start(platformState().gatewayUrl);
    const watcher = new Watcher(
      ['render', template('flaky.njk', [`k={{ kv('k', '${app}/flaky') }}`]), '-o', out, '--watch', '--debounce', '50'],
      proxy.url,
    );
    const seen = () => `${watcher.stderr}\n--- ${out}: ${existsSync(out) ? readFileSync(out, 'utf8') : '(none)'}`;
    try {
      await until('the first render', () => existsSync(out) && readFileSync(out, 'utf8') === 'k=one', seen);
      // A render after a change proves the watch open: the proxy fails every call but the watch below.
      await client.putEntry(flaky.id, 'k', 'two');
      await until('the second render', () => readFileSync(out, 'utf8') === 'k=two', seen);
      proxy.fail();
      await client.putEntry(flaky.id, 'k', 'three');
      await until('the failed read told', () => watcher.stderr.includes('reading the entries again failed'), seen);
      expect(readFileSync(out, 'utf8')).toBe('k=two');
      proxy.restore();
      await until('the render of the missed change', () => readFileSync(out, 'utf8') === 'k=three', seen);
    } finally {
      const ended = await watcher.stop('SIGTERM');
      await proxy.close();
      expect(ended).toEqual({ code: 0, signal: null });
    }
  });

  it('--watch ends with exit 3 when the namespace it follows is deleted', async () => {
    const doomed = await client.createNamespace({ applicationId: app, name: 'doomed', isSecretNamespace: false });
    await client.putEntry(doomed.id, 'k', 'v');
    const out = join(mkdtempSync(join(workDir, 'doomed-')), 'doomed.conf');
    const watcher = new Watcher(['render', template('doomed.njk', [`k={{ kv('k', '${app}/doomed') }}`]), '-o', out, '--watch']);
    const seen = () => watcher.stderr;
    await until('the first render', () => existsSync(out), seen);
    await client.deleteNamespace(doomed.id);
    expect(await watcher.exited).toEqual({ code: 3, signal: null });
    expect(watcher.stderr).toContain(`namespace ${app}/doomed not found`);
    expect(readFileSync(out, 'utf8')).toBe('k=v');
  });

  async function idOf(ref: string): Promise<string> {
    const [applicationId, name] = ref.split('/');
    for await (const namespace of client.namespaces({ applicationId })) if (namespace.name === name) return namespace.id;
    throw new Error(`no namespace ${ref}`);
  }
});
