import { OUTBOX_TABLE_V1 } from '@app/entry-store';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox of entry events (see OutboxTransactions), and the application of each secret
 * namespace, which every event names (also when the expiry sweep writes it, without a request).
 */
export class AddOutbox1733100000000 implements MigrationInterface {
  name = 'AddOutbox1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_TABLE_V1);
    await queryRunner.query('ALTER TABLE secret_namespace ADD COLUMN application_id text NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE secret_namespace DROP COLUMN application_id');
    await queryRunner.query('DROP TABLE outbox_event');
  }
}
