import { randomUUID } from 'node:crypto';
import { AuditQuery } from '@app/contracts';
import type { ApplicationScope } from '@app/permissions';
import { auditListQuery } from '../src/records/audit-list-query';
import { STORED_FORM } from '../src/records/audit-records.repository';
import { useAuditTestbed } from './audit-testing';

/** The listing's common shapes must walk an index in sequence order, never sort the table. */
describe('audit query plans', () => {
  const instance = useAuditTestbed();
  const namespaceId = randomUUID();

  beforeAll(async () => {
    await instance.dataSource.query(
      `INSERT INTO audit_record (sequence, id, occurred_at, recorded_at, action, success, user_id, application_id, namespace_id, key_path, prev_hash, hash)
       SELECT i, gen_random_uuid(), now() - (i || ' seconds')::interval, now(), (ARRAY['READ','WRITE','DELETE','LIST'])[1 + i % 4], true,
              'user-' || (i % 500), 'app-' || (i % 20), CASE WHEN i % 100 = 0 THEN $1::uuid ELSE gen_random_uuid() END, 'key/' || (i % 1000), '', ''
         FROM generate_series(1, 50000) AS i`,
      [namespaceId],
    );
    await instance.dataSource.query('ANALYZE audit_record');
  });

  async function plan(query: AuditQuery, applications: ApplicationScope = { all: true }): Promise<string> {
    const { sql, parameters } = auditListQuery(query, applications, null, 101);
    const rows: Array<{ 'QUERY PLAN': string }> = await instance.dataSource.query(`EXPLAIN ${sql}`, parameters);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  it.each<[string, AuditQuery, RegExp]>([
    ['everything', {}, /Index Scan Backward using audit_record_pkey/],
    ['a namespace', { namespaceId }, /Index Scan Backward using audit_record_namespace_id_(key_path_)?sequence_idx/],
    [
      'a key of a namespace',
      { namespaceId, keyPath: 'key/0' },
      /Index Scan Backward using audit_record_namespace_id_key_path_sequence_idx/,
    ],
  ])('lists %s newest first through an index, without a sort', async (_name, query, index) => {
    const explained = await plan(query);
    expect(explained).toMatch(index);
    expect(explained).not.toMatch(/Sort|Seq Scan/);
  });

  it("checks a batch's ids through their indexes in the plan every append runs, never scanning a table", async () => {
    // The statement is prepared, so after a few runs Postgres keeps its generic plan: the one that must hold up.
    const parameterCount = Math.max(...[...STORED_FORM.text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    const runner = instance.dataSource.createQueryRunner();
    try {
      await runner.query('SET plan_cache_mode = force_generic_plan');
      await runner.query(`PREPARE stored_form_probe AS ${STORED_FORM.text}`);
      const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(
        `EXPLAIN EXECUTE stored_form_probe(${Array.from({ length: parameterCount }, () => 'NULL').join(', ')})`,
      );
      const explained = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(explained).toMatch(/Index (Only )?Scan using audit_record_id_key/);
      expect(explained).toMatch(/Index (Only )?Scan using audit_pruned_id_pkey/);
      expect(explained).not.toMatch(/Seq Scan on audit_record|Seq Scan on audit_pruned_id |Hash/);
    } finally {
      await runner.query('DEALLOCATE ALL').catch(() => undefined);
      await runner.release();
    }
  });
});
