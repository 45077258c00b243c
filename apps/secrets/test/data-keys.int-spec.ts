import { randomBytes } from 'node:crypto';
import { ErrorCode, ValueType } from '@app/contracts';
import { parseMasterKeyring } from '../src/crypto/master-keyring';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { rewrapDataKeys } from '../src/keys/rewrap-data-keys';
import { SecretNamespacesRepository } from '../src/namespaces/secret-namespaces.repository';
import { callIn, createTestbed, secretNamespace, useSecretsTestbed } from './secrets-testing';

const newKey = () => randomBytes(32).toString('base64');

describe('master keys and data keys against Postgres', () => {
  const oldKey = newKey();
  const nextKey = newKey();
  const testbed = useSecretsTestbed({ KV_MASTER_KEY: '', KV_MASTER_KEYS: `old:${oldKey}` });

  it('re-wraps every data key under the active key in batches, skipping purged namespaces, and values stay readable', async () => {
    const entries = testbed.moduleRef.get(SecretEntriesService);
    const namespaces = Array.from({ length: 7 }, () => secretNamespace());
    for (const [i, ns] of namespaces.entries()) await entries.put(callIn(ns), 'k', { value: `value-${i}`, valueType: ValueType.STRING });
    const repository = testbed.moduleRef.get(SecretNamespacesRepository);
    await repository.purge(namespaces[6]!.id);

    const keyring = parseMasterKeyring({ masterKeys: `new:${nextKey},old:${oldKey}` });
    const progress: number[] = [];
    const report = await rewrapDataKeys(repository, keyring, 4, (step) => progress.push(step.rewrapped));
    expect(report).toEqual({ rewrapped: 6, skipped: 0, failed: [] });
    expect(progress).toEqual([4, 6]);
    expect(await repository.countByMasterKey()).toEqual([{ masterKeyId: 'new', namespaces: 6 }]);
    await expect(rewrapDataKeys(repository, keyring, 4)).resolves.toEqual({ rewrapped: 0, skipped: 0, failed: [] });

    // A service that knows only the new key reads every value.
    const onlyNew = await createTestbed({ KV_MASTER_KEY: '', KV_MASTER_KEYS: `new:${nextKey}` });
    try {
      await onlyNew.dataSource.query('SELECT 1'); // its own scratch database: copy the rows over
      for (const table of ['secret_namespace', 'secret_entry', 'secret_version']) {
        const rows: Array<Record<string, unknown>> = await testbed.dataSource.query(`SELECT * FROM ${table}`);
        for (const row of rows) {
          const columns = Object.keys(row);
          await onlyNew.dataSource.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
            columns.map((column) => (column === 'metadata' && row[column] !== null ? JSON.stringify(row[column]) : row[column])),
          );
        }
      }
      const reader = onlyNew.moduleRef.get(SecretEntriesService);
      for (const [i, ns] of namespaces.slice(0, 6).entries()) {
        expect((await reader.get(callIn(ns), 'k')).value).toBe(`value-${i}`);
      }
    } finally {
      await onlyNew.close();
    }
  });

  it('re-wraps the rest when one data key cannot be unwrapped, and names that one', async () => {
    const entries = testbed.moduleRef.get(SecretEntriesService);
    const [lost, fine] = [secretNamespace(), secretNamespace()];
    await entries.put(callIn(lost), 'k', { value: 'x', valueType: ValueType.STRING });
    await entries.put(callIn(fine), 'k', { value: 'y', valueType: ValueType.STRING });
    await testbed.dataSource.query(`UPDATE secret_namespace SET master_key_id = 'lost-key' WHERE id = $1`, [lost.id]);
    const keyring = parseMasterKeyring({ masterKeys: `newer:${newKey()},new:${nextKey},old:${oldKey}` });
    const report = await rewrapDataKeys(testbed.moduleRef.get(SecretNamespacesRepository), keyring, 10);
    expect(report.failed).toEqual([{ namespaceId: lost.id, masterKeyId: 'lost-key', reason: expect.stringContaining('"lost-key"') }]);
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);
    const row = (await testbed.dataSource.query('SELECT master_key_id FROM secret_namespace WHERE id = $1', [fine.id]))[0];
    expect(row.master_key_id).toBe('newer');
  });

  it('answers MASTER_KEY_UNAVAILABLE when the key that wraps a namespace is not configured', async () => {
    const ns = secretNamespace();
    const entries = testbed.moduleRef.get(SecretEntriesService);
    await entries.put(callIn(ns), 'k', { value: 'x', valueType: ValueType.STRING });
    await testbed.dataSource.query(`UPDATE secret_namespace SET master_key_id = 'retired' WHERE id = $1`, [ns.id]);
    await expect(entries.get(callIn(ns), 'k')).rejects.toMatchObject({ code: ErrorCode.MASTER_KEY_UNAVAILABLE });
  });
});
