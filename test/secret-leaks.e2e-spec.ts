import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { call, createNamespace, platformState, tokenFor, uniqueName } from './support/api';
import { anAdmin, aReader } from './support/principals';

/**
 * Plants a unique secret value, drives it through every route and error path, then searches every
 * database dump and every process log for it (and for its base64 and hex forms).
 */
describe('no plaintext secret anywhere', () => {
  const planted = `PLANTED-${randomBytes(12).toString('hex')}`;
  const forms = [planted, Buffer.from(planted).toString('base64'), Buffer.from(planted).toString('hex')];

  it('leaves no trace of a secret value in databases or logs', async () => {
    const admin = await tokenFor(anAdmin({ id: 'leak-tester' }));
    const applicationId = uniqueName('leak');
    const ns = (await createNamespace(admin, { applicationId, isSecretNamespace: true })).id;
    const key = 'leak/password';
    const entry = `/${ns}/entries/${key}`;
    const readOnly = await tokenFor(aReader({ id: 'read-only', applications: [applicationId] }));

    const expectStatus = async (promise: Promise<{ status: number; body: unknown }>, status: number) => {
      const response = await promise;
      expect(response.status).toBe(status);
      return response;
    };

    await expectStatus(call('PUT', entry, { token: admin, body: { value: planted, valueType: 'STRING' } }), 201);
    const read = await expectStatus(call('GET', entry, { token: admin }), 200);
    expect((read.body as { value: string }).value).toBe(planted);
    await expectStatus(call('PUT', entry, { token: admin, body: { value: `${planted}-2`, valueType: 'STRING', expectedVersion: 1 } }), 200);
    await expectStatus(call('PUT', entry, { token: admin, body: { value: planted, valueType: 'STRING', expectedVersion: 1 } }), 409);
    await expectStatus(call('POST', `${entry}/rotate`, { token: admin, body: { value: planted, reason: 'leak test' } }), 200);
    await expectStatus(call('POST', `${entry}/rotate`, { token: admin, body: {} }), 200);
    await expectStatus(call('POST', `${entry}/rollback`, { token: admin, body: { version: 1 } }), 200);
    await expectStatus(call('GET', `${entry}/versions`, { token: admin }), 200);
    await expectStatus(call('GET', `${entry}?version=1`, { token: admin }), 200);
    await expectStatus(call('GET', `/${ns}/entries?prefix=leak/`, { token: admin }), 200);
    await expectStatus(
      call('POST', `/${ns}/bulk/set`, { token: admin, body: { entries: [{ key: 'leak/bulk', value: planted, valueType: 'STRING' }] } }),
      200,
    );
    await expectStatus(call('POST', `/${ns}/bulk/get`, { token: admin, body: { keys: ['leak/bulk', key] } }), 200);

    // Error paths that carry the value: wrong type, too large, forbidden, invalid key, unknown field, failed decrypt.
    const wrongType = await expectStatus(call('PUT', entry, { token: admin, body: { value: planted, valueType: 'NUMBER' } }), 400);
    expect(JSON.stringify(wrongType.body)).not.toContain(planted);
    const tooLarge = await expectStatus(
      call('PUT', entry, { token: admin, body: { value: planted.repeat(60_000), valueType: 'STRING' } }),
      413,
    );
    expect(JSON.stringify(tooLarge.body)).not.toContain(planted);
    await expectStatus(call('PUT', entry, { token: readOnly, body: { value: planted, valueType: 'STRING' } }), 403);
    await expectStatus(call('PUT', `/${ns}/entries/bad//key`, { token: admin, body: { value: planted, valueType: 'STRING' } }), 400);
    const unknownField = await expectStatus(
      call('PUT', entry, { token: admin, body: { value: planted, valueType: 'STRING', [planted]: 1 } }),
      400,
    );
    expect(JSON.stringify(unknownField.body)).not.toContain(planted);
    await expectStatus(
      call('POST', `/${ns}/bulk/set`, {
        token: admin,
        body: {
          entries: [
            { key: 'leak/ok', value: planted, valueType: 'STRING' },
            { key: 'leak/bad', value: planted, valueType: 'DATE' },
          ],
        },
      }),
      400,
    );
    await expectStatus(call('POST', `${entry}/rotate`, { token: admin, body: { value: planted, valueType: 'BOOLEAN' } }), 400);

    const db = new Client({ connectionString: platformState().databaseUrls.secrets });
    await db.connect();
    try {
      await db.query(
        `UPDATE secret_version SET ciphertext = set_byte(ciphertext, 20, get_byte(ciphertext, 20) # 1)
         WHERE entry_id = (SELECT id FROM secret_entry WHERE namespace_id = $1 AND key_path = $2)`,
        [ns, key],
      );
    } finally {
      await db.end();
    }
    const broken = await expectStatus(call('GET', entry, { token: admin }), 500);
    expect((broken.body as { code: string }).code).toBe('DECRYPTION_FAILED');
    expect(JSON.stringify(broken.body)).not.toContain(planted);

    // Give the processes a moment to flush their logs.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const { databaseUrls, logDir } = platformState();
    const dumps = Object.entries(databaseUrls).map(([service, url]) => ({
      service,
      dump: execFileSync('pg_dump', ['--data-only', url], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8'),
    }));
    expect(dumps.find((item) => item.service === 'secrets')?.dump).toContain('secret_version');
    const logs = readdirSync(logDir).map((file) => ({ file, text: readFileSync(join(logDir, file), 'utf8') }));
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(logs.some((log) => log.text.includes(ns))).toBe(true);

    for (const form of forms) {
      for (const { service, dump } of dumps) expect({ service, leaked: dump.includes(form) }).toEqual({ service, leaked: false });
      for (const { file, text } of logs) expect({ file, leaked: text.includes(form) }).toEqual({ file, leaked: false });
    }
  });
});
