import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { repoRoot } from '../scripts/platform/repo-root';
import { call } from './support/api';
import { TestPlatform } from './support/test-platform';
import { anAdmin, signedToken } from './support/principals';

const run = promisify(execFile);
const newKey = () => randomBytes(32).toString('base64');

describe('master-key rotation', () => {
  let platform: TestPlatform;
  const oldKey = newKey();
  const nextKey = newKey();

  beforeAll(async () => {
    platform = await TestPlatform.start({ KV_MASTER_KEY: '', KV_MASTER_KEYS: `old:${oldKey}` });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('re-wraps every data key online, with reads succeeding throughout, and the old key can then go', async () => {
    const baseUrl = platform.state.gatewayUrl;
    const token = await signedToken(anAdmin({ id: 'key-ops' }), platform.state.jwtSecret, 600);
    const secrets: Array<{ ns: string; key: string; value: string }> = [];
    for (let n = 0; n < 5; n++) {
      const created = await call('POST', '/namespaces', {
        baseUrl,
        token,
        body: { name: `vault-${n}`, applicationId: 'keys', isSecretNamespace: true },
      });
      for (let k = 0; k < 3; k++) {
        const secret = { ns: created.body.id as string, key: `s/${k}`, value: randomBytes(8).toString('hex') };
        expect(
          (await call('PUT', `/${secret.ns}/entries/${secret.key}`, { baseUrl, token, body: { value: secret.value, valueType: 'STRING' } }))
            .status,
        ).toBe(201);
        secrets.push(secret);
      }
    }
    const readAll = async () => {
      for (const secret of secrets) {
        const response = await call('GET', `/${secret.ns}/entries/${secret.key}`, { baseUrl, token });
        expect(response.status).toBe(200);
        expect(response.body.value).toBe(secret.value);
      }
    };

    // 1. Every instance learns the new key (first = active), keeping the old one for unwrapping.
    await platform.stopOne('secrets');
    await platform.startAgain('secrets', { KV_MASTER_KEYS: `new:${nextKey},old:${oldKey}` });
    await readAll();

    // 2. Re-wrap online while reads keep going.
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        await readAll();
        reads += secrets.length;
      }
    })();
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot(), 'dist/apps/secrets/src/keys/rewrap-data-keys.js')], {
      env: platform.environmentOf('secrets'),
    });
    reading = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('"old" wraps 5 data keys');
    expect(stdout).toContain('re-wrapped 5 data keys under "new"');
    expect(stdout).toContain('master key "old" wraps no data key any more');

    const db = new Client({ connectionString: platform.state.databaseUrls.secrets });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT master_key_id, count(*)::int AS n FROM secret_namespace WHERE deleted_at IS NULL GROUP BY master_key_id',
      );
      expect(rows).toEqual([{ master_key_id: 'new', n: 5 }]);
    } finally {
      await db.end();
    }

    // 3. The old key is removed; everything still reads, and new writes work.
    await platform.stopOne('secrets');
    await platform.startAgain('secrets', { KV_MASTER_KEYS: `new:${nextKey}` });
    await readAll();
    const write = await call('PUT', `/${secrets[0].ns}/entries/after-rotation`, {
      baseUrl,
      token,
      body: { value: 'fresh', valueType: 'STRING' },
    });
    expect(write.status).toBe(201);
  }, 120_000);
});
