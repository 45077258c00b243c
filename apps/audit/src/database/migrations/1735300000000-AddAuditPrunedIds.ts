import { MigrationInterface, QueryRunner } from 'typeorm';

const PRUNED_ID_TABLES = [
  `CREATE TABLE audit_pruned_id (
     id          uuid        NOT NULL,
     occurred_at timestamptz NOT NULL,
     CONSTRAINT audit_pruned_id_pkey PRIMARY KEY (id)
   )`,
  'CREATE INDEX audit_pruned_id_occurred_at_idx ON audit_pruned_id (occurred_at)',
  `CREATE TABLE audit_pruned_id_horizon (
     id               smallint    NOT NULL,
     forgotten_before timestamptz NOT NULL,
     CONSTRAINT audit_pruned_id_horizon_pkey PRIMARY KEY (id),
     CONSTRAINT audit_pruned_id_horizon_id_check CHECK (id = 1)
   )`,
  `INSERT INTO audit_pruned_id_horizon (id, forgotten_before) VALUES (1, '-infinity')`,
];

/**
 * The ids of pruned records, so that a record that comes again after its prune is still stored only once. They are kept
 * while their records' `occurred_at` is at or after `audit_pruned_id_horizon.forgotten_before`, which a prune advances
 * (KV_AUDIT_REDELIVERY_HORIZON_DAYS): a record that occurred before it is refused, duplicate or not.
 */
export class AddAuditPrunedIds1735300000000 implements MigrationInterface {
  name = 'AddAuditPrunedIds1735300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of PRUNED_ID_TABLES) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_pruned_id_horizon, audit_pruned_id');
  }
}
