import { ValueType } from '@app/contracts';
import { EntriesRepository } from '../src/entries/entries.repository';
import { EntriesService } from '../src/entries/entries.service';
import { EntryExpirySweeper } from '../src/expiry/expiry-sweeper.service';
import { NamespacesService } from '../src/namespaces/namespaces.service';
import { useKvEntryTestbed } from './kv-entry-testing';
import { anAdmin } from '../../../test/support/principals';

describe('expiry sweep against Postgres', () => {
  const testbed = useKvEntryTestbed();
  let nsId: string;

  beforeAll(async () => {
    nsId = (await testbed.moduleRef.get(NamespacesService).create({ actor: anAdmin() }, { name: 'ttl', applicationId: 'billing' })).id;
  });

  const count = async (where: string): Promise<number> =>
    (await testbed.dataSource.query(`SELECT count(*)::int AS n FROM entry WHERE ${where}`))[0].n;

  it('deletes only expired rows, in batches, and leaves live and eternal ones', async () => {
    await testbed.dataSource.query(
      `INSERT INTO entry (namespace_id, key_path, value, value_type, expires_at)
       SELECT $1::uuid, 'expired/' || i, '"x"'::jsonb, 'STRING', now() - interval '1 minute' FROM generate_series(1, 2500) AS i
       UNION ALL SELECT $1::uuid, 'live/' || i, '"x"', 'STRING', now() + interval '1 hour' FROM generate_series(1, 10) AS i
       UNION ALL SELECT $1::uuid, 'eternal/' || i, '"x"', 'STRING', NULL FROM generate_series(1, 10) AS i`,
      [nsId],
    );
    const repository = testbed.moduleRef.get(EntriesRepository);
    await expect(repository.deleteExpiredBatch(1000)).resolves.toBe(1000);

    // The sweeper's batch is KV_EXPIRY_SWEEP_BATCH (default 1000): the remaining 1500 take two batches.
    const batches = jest.spyOn(repository, 'deleteExpiredBatch');
    await expect(testbed.moduleRef.get(EntryExpirySweeper).sweep()).resolves.toBe(1500);
    expect(batches).toHaveBeenCalledTimes(2);
    batches.mockRestore();

    expect(await count(`key_path LIKE 'expired/%'`)).toBe(0);
    expect(await count(`key_path LIKE 'live/%'`)).toBe(10);
    expect(await count(`key_path LIKE 'eternal/%'`)).toBe(10);
    await expect(testbed.moduleRef.get(EntryExpirySweeper).sweep()).resolves.toBe(0);
  });

  it('an entry written with a 1 s TTL is hidden at once on expiry and swept later', async () => {
    const entries = testbed.moduleRef.get(EntriesService);
    await entries.put({ actor: anAdmin(), namespaceId: nsId }, 'short', { value: 'x', valueType: ValueType.STRING, ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await count(`key_path = 'short'`)).toBe(1);
    await expect(entries.get({ actor: anAdmin(), namespaceId: nsId }, 'short')).rejects.toMatchObject({ code: 'ENTRY_NOT_FOUND' });
    await expect(testbed.moduleRef.get(EntryExpirySweeper).sweep()).resolves.toBe(1);
    expect(await count(`key_path = 'short'`)).toBe(0);
  });
});
