import { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from '../../chain/audit-chain';

/**
 * Hand-written; the service only ever inserts into `audit_record` (pruning deletes a prefix of the chain and leaves an
 * `audit_checkpoint`, where verification then starts). The one `audit_chain_head` row, locked FOR UPDATE by every insert,
 * keeps concurrent instances on one chain and gives `sequence`, hence no default; ascending indexes serve "newest first" too.
 */
export class CreateAuditTables1734000000000 implements MigrationInterface {
  name = 'CreateAuditTables1734000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_record (
        sequence       bigint      NOT NULL,
        id             uuid        NOT NULL,
        occurred_at    timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL,
        action         text        NOT NULL,
        success        boolean     NOT NULL,
        user_id        text        NOT NULL,
        application_id text        NULL,
        namespace_id   uuid        NULL,
        entry_id       uuid        NULL,
        key_path       text        COLLATE "C" NULL,
        request_id     text        NULL,
        client_address text        NULL,
        error_code     text        NULL,
        event_type     text        NULL,
        prev_hash      text        NOT NULL,
        hash           text        NOT NULL,
        CONSTRAINT audit_record_pkey PRIMARY KEY (sequence),
        CONSTRAINT audit_record_id_key UNIQUE (id),
        CONSTRAINT audit_record_sequence_check CHECK (sequence >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX audit_record_namespace_id_sequence_idx ON audit_record (namespace_id, sequence)`);
    await queryRunner.query(
      `CREATE INDEX audit_record_namespace_id_key_path_sequence_idx ON audit_record (namespace_id, key_path, sequence)`,
    );
    await queryRunner.query(`CREATE INDEX audit_record_user_id_sequence_idx ON audit_record (user_id, sequence)`);
    await queryRunner.query(`CREATE INDEX audit_record_action_sequence_idx ON audit_record (action, sequence)`);
    await queryRunner.query(`CREATE INDEX audit_record_application_id_sequence_idx ON audit_record (application_id, sequence)`);
    await queryRunner.query(`CREATE INDEX audit_record_occurred_at_idx ON audit_record (occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id            smallint NOT NULL,
        last_sequence bigint   NOT NULL,
        last_hash     text     NOT NULL,
        CONSTRAINT audit_chain_head_pkey PRIMARY KEY (id),
        CONSTRAINT audit_chain_head_id_check CHECK (id = 1)
      )`);
    await queryRunner.query(`INSERT INTO audit_chain_head (id, last_sequence, last_hash) VALUES (1, 0, $1)`, [GENESIS_HASH]);
    await queryRunner.query(`
      CREATE TABLE audit_checkpoint (
        sequence       bigint      NOT NULL,
        hash           text        NOT NULL,
        records_pruned bigint      NOT NULL,
        pruned_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_checkpoint_pkey PRIMARY KEY (sequence)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_checkpoint`);
    await queryRunner.query(`DROP TABLE audit_chain_head`);
    await queryRunner.query(`DROP TABLE audit_record`);
  }
}
