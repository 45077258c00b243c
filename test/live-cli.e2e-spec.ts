/** `kv watch` and `kv run`, the real command (dist/apps/cli/src/kv.js) against the real platform. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, createNamespace, platformState, tokenFor } from './support/api';
import { anAdmin, signedToken } from './support/principals';
import { queryDatabase } from './support/scratch-database';
import { HttpFaultProxy } from './support/http-fault-proxy';
import { sleep } from './support/workload';

// Each case starts kv (~0.3 s) and a child node, and the --watch cases wait for restarts.
jest.setTimeout(60_000);

const KV = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'kv.js');
const workDir = mkdtempSync(join(tmpdir(), 'kv-live-e2e-'));

/**
 * The child kv runs: `node child.js <file> <mode> <names...>` appends a line `{"pid", "env": {name: value}}` to
 * <file>, then exits with <mode> as its code, or with `stay` keeps running (a line `{"pid", "signal"}` for each
 * SIGHUP), or with `trap-term` keeps running until SIGTERM, which it tells in a line, then exits 42.
 */
const CHILD = join(workDir, 'child.js');
writeFileSync(
  CHILD,
  `const fs = require('fs');
const [file, mode, ...names] = process.argv.slice(2);
const line = (data) => fs.appendFileSync(file, JSON.stringify({ pid: process.pid, ...data }) + '\\n');
line({ env: Object.fromEntries(names.map((name) => [name, process.env[name] ?? null])) });
if (mode === 'stay') {
  process.on('SIGHUP', () => line({ signal: 'SIGHUP' }));
  setInterval(() => undefined, 1000);
} else if (mode === 'trap-term') {
  process.on('SIGTERM', () => { line({ signal: 'SIGTERM' }); process.exit(42); });
  setInterval(() => undefined, 1000);
} else process.exit(Number(mode));
`,
);

interface ChildLine {
  pid: number;
  env?: Record<string, string | null>;
  signal?: string;
}

let token: string;
const started: ChildProcess[] = [];

/** kv started with piped output; `ended` once it exits. */
function startKv(args: string[], env: Record<string, string> = {}) {
  const kvProcess = spawn(process.execPath, [KV, ...args], {
    // No config file of the machine's user may leak in.
    env: { PATH: process.env.PATH, KV_URL: platformState().gatewayUrl, KV_TOKEN: token, KV_CONFIG: join(workDir, 'none.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(kvProcess);
  const output = { stdout: '', stderr: '' };
  kvProcess.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  kvProcess.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    kvProcess.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { process: kvProcess, output, ended };
}

/** kv run to its end. */
async function kv(args: string[], env: Record<string, string> = {}) {
  const run = startKv(args, env);
  const { code } = await run.ended;
  return { code, ...run.output };
}

/** Polls until `condition` holds; fails naming `what` if it never does within the test's time. */
async function until<T>(what: string, condition: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

const childFile = () => join(workDir, `child-${randomBytes(4).toString('hex')}.jsonl`);
const linesOf = (file: string): ChildLine[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ChildLine)
    : [];

const put = async (namespaceId: string, key: string, value: unknown, valueType = 'STRING') => {
  const response = await call('PUT', `/${namespaceId}/entries/${key}`, { token, body: { value, valueType } });
  if (response.status >= 300) throw new Error(`PUT ${key}: ${response.status} ${JSON.stringify(response.body)}`);
};

/** The command lines of every process on the machine, as another user would see them. */
const processList = () =>
  new Promise<string>((resolve, reject) =>
    execFile('ps', ['-eo', 'args'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );

describe('kv watch and kv run', () => {
  beforeAll(async () => {
    token = await tokenFor(anAdmin({ id: 'live-cli-user' }));
  });

  afterAll(() => {
    for (const kvProcess of started) if (kvProcess.exitCode === null && kvProcess.signalCode === null) kvProcess.kill('SIGKILL');
  });

  describe('kv watch', () => {
    it('--json: one JSON line for a PUT and one for a DELETE, never a value; SIGTERM ends it with 0', async () => {
      const ns = await createNamespace(token);
      await put(ns.id, 'before', 'old');
      const revision = (await call('GET', `/${ns.id}/entries`, { token })).headers.get('x-kv-revision')!;
      const json = startKv(['watch', ns.id, '--json', '--since', revision]);
      const text = startKv(['watch', `${ns.applicationId}/${ns.name}`, '--since', revision, '--prefix', 'db/']);
      await put(ns.id, 'db/host', 'watched-value-1');
      expect((await call('DELETE', `/${ns.id}/entries/db/host`, { token })).status).toBe(204);

      // A change the list already showed may come again (its revision is a lower bound): only db/host's are counted.
      const lines = await until('two changes of db/host', () => {
        const changes = json.output.stdout
          .split('\n')
          .slice(0, -1)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((change) => change.keyPath === 'db/host');
        return changes.length >= 2 && changes;
      });
      expect(lines).toEqual([
        expect.objectContaining({ type: 'created', keyPath: 'db/host', version: 1, actor: 'live-cli-user', namespaceId: ns.id }),
        expect.objectContaining({ type: 'deleted', keyPath: 'db/host', actor: 'live-cli-user' }),
      ]);
      expect(Number(lines[1].revision)).toBeGreaterThan(Number(lines[0].revision));
      const textLines = await until('two text lines', () => {
        const complete = text.output.stdout.split('\n').slice(0, -1);
        return complete.length >= 2 && complete;
      });
      expect(textLines[0]).toMatch(/^\d+ +created +db\/host +v1 +live-cli-user +\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      expect(textLines[1]).toMatch(/^\d+ +deleted +db\/host +v\d+ +live-cli-user +/);

      json.process.kill('SIGTERM');
      text.process.kill('SIGINT');
      expect(await json.ended).toEqual({ code: 0, signal: null });
      expect(await text.ended).toEqual({ code: 0, signal: null });
      for (const output of [json.output, text.output]) expect(output.stdout + output.stderr).not.toContain('watched-value-1');
      expect(json.output.stderr).toBe('');
    });

    it('a reader that goes away (kv watch | head) ends it quietly with 0', async () => {
      const ns = await createNamespace(token);
      const watch = startKv(['watch', ns.id]);
      watch.process.stdout!.destroy();
      // Changes until kv writes one to the closed pipe: whether the first comes before the watch opens is not known.
      while (watch.process.exitCode === null) {
        await put(ns.id, 'k', randomBytes(4).toString('hex'));
        await Promise.race([watch.ended, sleep(200)]);
      }
      expect(await watch.ended).toEqual({ code: 0, signal: null });
      expect(watch.output.stderr).toBe('');
    });

    it('a --since the change log no longer keeps: exit 1, saying to start without --since', async () => {
      const ns = await createNamespace(token);
      await put(ns.id, 'k', 'v');
      const revision = Number((await call('GET', `/${ns.id}/entries`, { token })).headers.get('x-kv-revision'));
      // What the pruner does once changes age out, done at once (as the watch's own e2e test does).
      await queryDatabase(
        platformState().databaseUrls['kv-entry']!,
        'UPDATE change_log_head SET compacted_through = GREATEST(compacted_through, $1)',
        [revision],
      );
      const refused = await kv(['watch', ns.id, '--since', String(revision - 1)]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `kv: the change log no longer keeps revision ${revision - 1}: start without --since (from now), or from a newer revision\n`,
      );
    });

    it("the token's expiry ends the watch: exit 1, saying so", async () => {
      const ns = await createNamespace(token);
      const shortLived = await signedToken(anAdmin({ id: 'live-cli-expiring' }), platformState().jwtSecret, 3);
      const expired = await kv(['watch', ns.id], { KV_TOKEN: shortLived });
      expect(expired.code).toBe(1);
      expect(expired.stderr).toContain('kv: the token expired, which ends the watch: start it again with a new token');
    });
  });

  describe('kv run', () => {
    let ns: { id: string; applicationId: string; name: string };

    beforeAll(async () => {
      ns = await createNamespace(token);
      await put(ns.id, 'app/db/host', 'db.internal');
      await put(ns.id, 'app/db/port', 5432, 'NUMBER');
      await put(ns.id, 'app/Feature', true, 'BOOLEAN');
      await put(ns.id, 'app/limits', { rps: [1, 2] }, 'JSON');
      await put(ns.id, 'app/blob', 'AAH/', 'BINARY');
      await put(ns.id, 'app/PRESET', 'from-kv');
      await put(ns.id, 'other/NOT_UNDER_PREFIX', 'x');
    });

    it('passes the entries under the prefix as the environment, each type as its text, and the exit code', async () => {
      const file = childFile();
      const names = ['db_host', 'db_port', 'Feature', 'limits', 'blob', 'PRESET', 'NOT_UNDER_PREFIX', 'INHERITED'];
      const run = await kv(['run', `${ns.applicationId}/${ns.name}`, '--prefix', 'app/', '--', 'node', CHILD, file, '7', ...names], {
        INHERITED: 'kept',
        PRESET: 'from-shell',
      });
      expect(run).toEqual({ code: 7, stdout: '', stderr: '' });
      expect(linesOf(file)).toEqual([
        {
          pid: expect.any(Number),
          env: {
            db_host: 'db.internal',
            db_port: '5432',
            Feature: 'true',
            limits: '{"rps":[1,2]}',
            blob: 'AAH/',
            PRESET: 'from-kv',
            NOT_UNDER_PREFIX: null,
            INHERITED: 'kept',
          },
        },
      ]);
    });

    it('--no-override keeps the inherited value', async () => {
      const file = childFile();
      const run = await kv(['run', ns.id, '--prefix', 'app', '--no-override', '--', 'node', CHILD, file, '0', 'PRESET', 'db_host'], {
        PRESET: 'from-shell',
      });
      expect(run.code).toBe(0);
      expect(linesOf(file)[0].env).toEqual({ PRESET: 'from-shell', db_host: 'db.internal' });
    });

    it('two keys giving one name, or a key that is no name: an error naming them, exit 1, nothing started', async () => {
      const bad = await createNamespace(token);
      await put(bad.id, 'db/host', 'a');
      await put(bad.id, 'db_host', 'b');
      await put(bad.id, 'my-key', 'c');
      const file = childFile();
      const run = await kv(['run', bad.id, '--', 'node', CHILD, file, '0']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('keys db/host and db_host all give db_host');
      expect(run.stderr).toContain('key my-key gives my-key, not an environment variable name');
      expect(run.stdout).toBe('');
      expect(existsSync(file)).toBe(false);
    });

    it('a command that is not found: 127; a wrong option: 2', async () => {
      const missing = await kv(['run', ns.id, '--', 'no-such-command-kv-e2e']);
      expect(missing).toEqual({ code: 127, stdout: '', stderr: 'kv: command not found: no-such-command-kv-e2e\n' });
      expect((await kv(['run', ns.id, '--signal', 'HUP', '--', 'true'])).code).toBe(2);
      expect((await kv(['run', ns.id, '--watch', '--signal', 'NOPE', '--', 'true'])).code).toBe(2);
    });

    it('SIGTERM to kv reaches the child: its own exit code, or 143 when the signal ends it', async () => {
      const trapping = childFile();
      const first = startKv(['run', ns.id, '--', 'node', CHILD, trapping, 'trap-term']);
      const { pid } = await until('the child', () => linesOf(trapping)[0]);
      first.process.kill('SIGTERM');
      expect(await first.ended).toEqual({ code: 42, signal: null });
      expect(linesOf(trapping)).toEqual([expect.objectContaining({ pid }), { pid, signal: 'SIGTERM' }]);

      const plain = childFile();
      const second = startKv(['run', ns.id, '--', 'node', CHILD, plain, 'stay']);
      await until('the child', () => linesOf(plain)[0]);
      second.process.kill('SIGTERM');
      expect(await second.ended).toEqual({ code: 143, signal: null });
      expect(second.output).toEqual({ stdout: '', stderr: '' });
    });

    it('--watch restarts the child with the new environment after a PUT', async () => {
      const watched = await createNamespace(token);
      const [one, two] = [`one-${randomBytes(6).toString('hex')}`, `two-${randomBytes(6).toString('hex')}`];
      await put(watched.id, 'cfg/VALUE', one);
      const file = childFile();
      const run = startKv([
        'run',
        watched.id,
        '--prefix',
        'cfg/',
        '--watch',
        '--debounce',
        '100',
        '--grace',
        '5',
        '--',
        'node',
        CHILD,
        file,
        'stay',
        'VALUE',
      ]);
      const first = await until('the first child', () => linesOf(file)[0]);
      expect(first.env).toEqual({ VALUE: one });

      await put(watched.id, 'cfg/VALUE', two);
      const second = await until('a restarted child', () => linesOf(file).find((line) => line.pid !== first.pid));
      expect(second.env).toEqual({ VALUE: two });
      // The first child was stopped (it exists no more), and kv told which names changed.
      expect(run.output.stderr).toContain('kv: VALUE changed: restarting node');
      expect(() => process.kill(first.pid, 0)).toThrow();

      // Entries that make no environment (two keys, one name, in one bulk call): the child runs on, kv says why.
      const bulk = await call('POST', `/${watched.id}/bulk/set`, {
        token,
        body: { entries: ['cfg/a_b', 'cfg/a/b'].map((key) => ({ key, value: 'x', valueType: 'STRING' })) },
      });
      expect(bulk.status).toBeLessThan(300);
      await until('the collision told', () => run.output.stderr.includes('keys cfg/a/b and cfg/a_b all give a_b'));
      expect(run.output.stderr).toContain('node runs on with the environment it has');
      process.kill(second.pid, 0);

      // The child ending by a signal ends kv, with 128 + its number.
      process.kill(second.pid, 'SIGTERM');
      expect(await run.ended).toEqual({ code: 143, signal: null });
      expect(new Set(linesOf(file).map((line) => line.pid))).toEqual(new Set([first.pid, second.pid]));
      for (const value of [one, two]) expect(run.output.stdout + run.output.stderr).not.toContain(value);
    });

    it('--watch: a re-read the gateway cannot answer is tried again until it can, and the change then restarts the child', async () => {
      const watched = await createNamespace(token);
      await put(watched.id, 'cfg/VALUE', 'one');
      const proxy = await HttpFaultProxy.start(platformState().gatewayUrl);
      try {
        const file = childFile();
        const args = ['run', watched.id, '--prefix', 'cfg/', '--watch', '--debounce', '100', '--', 'node', CHILD, file, 'stay', 'VALUE'];
        const run = startKv(args, { KV_URL: proxy.url });
        await until('the first child', () => linesOf(file)[0]);
        // A first restart proves the watch open: the proxy fails every call but the watch below.
        await put(watched.id, 'cfg/VALUE', 'two');
        await until('the second child', () => linesOf(file).find((line) => line.env?.VALUE === 'two'));

        proxy.fail();
        await put(watched.id, 'cfg/VALUE', 'three');
        await until('the failed re-read told', () => run.output.stderr.includes('reading the entries again failed'));
        expect(linesOf(file).some((line) => line.env?.VALUE === 'three')).toBe(false);
        proxy.restore();
        // No further change: the retry alone brings the child the value it missed.
        const third = await until('the child with the missed value', () => linesOf(file).find((line) => line.env?.VALUE === 'three'));
        expect(third.env).toEqual({ VALUE: 'three' });
        expect(run.output.stderr).toMatch(/trying again in \d+/);
        run.process.kill('SIGTERM');
        expect((await run.ended).code).toBe(143);
      } finally {
        await proxy.close();
      }
    });

    it('--watch: an expired token or a deleted namespace ends the watching, not the child', async () => {
      const watched = await createNamespace(token);
      const file = childFile();
      const shortLived = await signedToken(anAdmin({ id: 'live-cli-expiring' }), platformState().jwtSecret, 3);
      const expiring = startKv(['run', watched.id, '--watch', '--', 'node', CHILD, file, 'stay'], { KV_TOKEN: shortLived });
      const { pid } = await until('the child', () => linesOf(file)[0]);
      await until('the expiry told', () => expiring.output.stderr.includes('kv: the token expired: no longer watching; node runs on'));
      process.kill(pid, 0);
      process.kill(pid, 'SIGTERM');
      expect(await expiring.ended).toEqual({ code: 143, signal: null });

      const deleted = childFile();
      const orphaned = startKv(['run', watched.id, '--watch', '--', 'node', CHILD, deleted, 'trap-term']);
      const child = await until('the child', () => linesOf(deleted)[0]);
      expect((await call('DELETE', `/namespaces/${watched.id}`, { token })).status).toBe(204);
      await until('the deletion told', () =>
        orphaned.output.stderr.includes('kv: the namespace was deleted: no longer watching; node runs on'),
      );
      process.kill(child.pid, 0);
      process.kill(child.pid, 'SIGTERM');
      expect(await orphaned.ended).toEqual({ code: 42, signal: null });
    });

    it('--watch --signal HUP signals the child instead of restarting it', async () => {
      const watched = await createNamespace(token);
      await put(watched.id, 'VALUE', 'one');
      const file = childFile();
      const run = startKv([
        'run',
        watched.id,
        '--watch',
        '--signal',
        'HUP',
        '--debounce',
        '100',
        '--',
        'node',
        CHILD,
        file,
        'stay',
        'VALUE',
      ]);
      const { pid } = await until('the child', () => linesOf(file)[0]);
      await put(watched.id, 'VALUE', 'two');
      await until('a SIGHUP', () => linesOf(file).find((line) => line.signal === 'SIGHUP'));
      expect(linesOf(file)).toEqual([
        { pid, env: { VALUE: 'one' } },
        { pid, signal: 'SIGHUP' },
      ]);
      expect(run.output.stderr).toContain('kv: the entries under the prefix changed: sending SIGHUP to node');
      run.process.kill('SIGTERM');
      expect(await run.ended).toEqual({ code: 143, signal: null });
    });

    it("a secret namespace's values: in the child's environment, never in any process's command line nor in kv's output", async () => {
      const secrets = await createNamespace(token, { isSecretNamespace: true });
      const planted = `planted-${randomBytes(12).toString('hex')}`;
      const rotated = `rotated-${randomBytes(12).toString('hex')}`;
      await put(secrets.id, 'db/PASSWORD', planted);
      const file = childFile();
      const run = startKv(['run', secrets.id, '--watch', '--debounce', '100', '--', 'node', CHILD, file, 'stay', 'db_PASSWORD']);
      const first = await until('the child', () => linesOf(file)[0]);
      expect(first.env).toEqual({ db_PASSWORD: planted });
      const whileRunning = await processList();
      expect(whileRunning).toContain(CHILD);
      expect(whileRunning).not.toContain(planted);

      await put(secrets.id, 'db/PASSWORD', rotated);
      const second = await until('the restarted child', () => linesOf(file).find((line) => line.pid !== first.pid));
      expect(second.env).toEqual({ db_PASSWORD: rotated });
      const afterRestart = await processList();
      expect(afterRestart).not.toContain(planted);
      expect(afterRestart).not.toContain(rotated);

      run.process.kill('SIGTERM');
      expect(await run.ended).toEqual({ code: 143, signal: null });
      for (const value of [planted, rotated]) expect(run.output.stdout + run.output.stderr).not.toContain(value);
      expect(run.output.stderr).toBe('kv: db_PASSWORD changed: restarting node\n');
    });
  });
});
