import { MigrationInterface, QueryRunner } from 'typeorm';
import { REQUEST_OUTCOME_TABLES_V1 } from './request-outcome-tables';

/**
 * What each change answered, by call, so that a request sent again is not applied again (see RequestOutcomes).
 * One migration that both entry services list, as their schemas for it are the same.
 */
export class AddRequestOutcomes1735000000000 implements MigrationInterface {
  name = 'AddRequestOutcomes1735000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of REQUEST_OUTCOME_TABLES_V1) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_key');
    await queryRunner.query('DROP TABLE request_outcome');
  }
}
