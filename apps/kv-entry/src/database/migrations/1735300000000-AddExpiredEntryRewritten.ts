import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an upsert calls when the expired entry it would replace was rewritten after the statement began (see
 * REPLACES_EXPIRED in entries.repository.ts): plain SQL cannot raise, and a serialization failure says "nothing was
 * written, run it again". The message names nothing of the entry.
 */
export class AddExpiredEntryRewritten1735300000000 implements MigrationInterface {
  name = 'AddExpiredEntryRewritten1735300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION expired_entry_rewritten() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RAISE EXCEPTION 'the expired entry this write replaces was rewritten after the write began; nothing was written'
          USING ERRCODE = 'serialization_failure';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION expired_entry_rewritten()');
  }
}
