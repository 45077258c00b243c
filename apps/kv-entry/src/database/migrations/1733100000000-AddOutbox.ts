import { OUTBOX_TABLE_V1 } from '@app/entry-store';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox of namespace and entry events (see OutboxTransactions). */
export class AddOutbox1733100000000 implements MigrationInterface {
  name = 'AddOutbox1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_TABLE_V1);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_event');
  }
}
