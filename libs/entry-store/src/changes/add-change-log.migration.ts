import { MigrationInterface, QueryRunner } from 'typeorm';
import { CHANGE_LOG_TABLES_V1 } from './change-log-tables';

/** The change log watches resume from (see ChangeLog). One migration that both entry services list. */
export class AddChangeLog1735400000000 implements MigrationInterface {
  name = 'AddChangeLog1735400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of CHANGE_LOG_TABLES_V1) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE change_log_head');
    await queryRunner.query('DROP TABLE change_log');
  }
}
