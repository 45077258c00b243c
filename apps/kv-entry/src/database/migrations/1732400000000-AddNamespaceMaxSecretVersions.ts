import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secrets service prunes versions by this cap (NULL: all); the check makes "a cap exists only on a secret namespace"
 * a rule of the table too. Its upper bound is the API's (Limits) and may change, so it is not frozen here.
 */
export class AddNamespaceMaxSecretVersions1732400000000 implements MigrationInterface {
  name = 'AddNamespaceMaxSecretVersions1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE namespace
        ADD COLUMN max_secret_versions integer NULL,
        ADD CONSTRAINT namespace_max_secret_versions_check
          CHECK (max_secret_versions IS NULL OR (is_secret AND max_secret_versions > 0))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE namespace DROP COLUMN max_secret_versions`);
  }
}
