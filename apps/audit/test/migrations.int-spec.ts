import { withScratchDataSource } from '../../../test/support/scratch-database';
import { GENESIS_HASH } from '../src/chain/audit-chain';
import { auditDataSourceOptions } from '../src/database/data-source';

describe('audit migrations', () => {
  it('create the tables with the genesis head and no value column, match the entities, and undo cleanly', () =>
    withScratchDataSource('kv_audit_mig', auditDataSourceOptions, async (dataSource) => {
      await dataSource.runMigrations({ transaction: 'each' });
      const tables: Array<{ table_name: string }> = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'audit_%' ORDER BY table_name`,
      );
      expect(tables.map((table) => table.table_name)).toEqual([
        'audit_chain_head',
        'audit_checkpoint',
        'audit_pruned_id',
        'audit_pruned_id_horizon',
        'audit_reanchor',
        'audit_record',
      ]);
      const columns: Array<{ column_name: string }> = await dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'audit_record'`,
      );
      // An audit record never holds a value.
      expect(columns.map((column) => column.column_name)).not.toContain('value');
      expect(await dataSource.query('SELECT id, last_sequence, last_hash FROM audit_chain_head')).toEqual([
        { id: 1, last_sequence: '0', last_hash: GENESIS_HASH },
      ]);
      // No pruned id is forgotten yet, so no record is too old.
      expect(await dataSource.query('SELECT id, forgotten_before::text FROM audit_pruned_id_horizon')).toEqual([
        { id: 1, forgotten_before: '-infinity' },
      ]);
      expect(await dataSource.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });

      for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      const left: unknown[] = await dataSource.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'audit_%'`,
      );
      expect(left).toEqual([]);
    }));
});
