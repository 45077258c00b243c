import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_reanchor`: an operator's acknowledgement, one per record, that a record's stored text differs
 * from what was hashed (written by `npm run audit:reanchor` with an AUDIT_REANCHOR record in the chain);
 * verification goes on past such a record while it is exactly as it was then.
 */
export class AddAuditReanchors1734100000000 implements MigrationInterface {
  name = 'AddAuditReanchors1734100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_reanchor (
        sequence      bigint      NOT NULL,
        record_hash   text        NOT NULL,
        stored_hash   text        NOT NULL,
        reason        text        NOT NULL,
        operator      text        NOT NULL,
        reanchored_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_reanchor_pkey PRIMARY KEY (sequence)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_reanchor`);
  }
}
