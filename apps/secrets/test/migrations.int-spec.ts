import { withScratchDataSource } from '../../../test/support/scratch-database';
import { secretsDataSourceOptions } from '../src/database/data-source';

describe('secrets migrations', () => {
  it('create the tables, hold no plaintext value column, and undo cleanly', () =>
    withScratchDataSource('kv_secrets_mig', secretsDataSourceOptions, async (dataSource) => {
      await dataSource.runMigrations({ transaction: 'each' });
      const columns: Array<{ table_name: string; column_name: string; data_type: string }> = await dataSource.query(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name LIKE 'secret_%' ORDER BY table_name, column_name`,
      );
      expect(new Set(columns.map((column) => column.table_name))).toEqual(new Set(['secret_namespace', 'secret_entry', 'secret_version']));
      // The outbox holds events, which never carry values: its JSON is checked by the leak tests.
      // Values live only as bytea ciphertext; no column could hold a value in the clear.
      expect(columns.filter((column) => column.column_name === 'value')).toEqual([]);
      expect(
        columns
          .filter((column) => column.data_type === 'bytea')
          .map((column) => column.column_name)
          .sort(),
      ).toEqual(['ciphertext', 'wrapped_data_key']);
      expect(await dataSource.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });

      for (let step = 0; step < dataSource.migrations.length; step++) await dataSource.undoLastMigration({ transaction: 'each' });
      const left: unknown[] = await dataSource.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND (table_name LIKE 'secret_%' OR table_name IN ('outbox_event', 'change_log', 'change_log_head'))`,
      );
      expect(left).toEqual([]);
    }));
});
