import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written and append-only. A purged namespace keeps its `secret_namespace` row as a tombstone (no key, `deleted_at`)
 * so that a late write cannot bring it back; `secret_entry.version` 0 exists only inside the creating transaction; each
 * `secret_version` is AES-256-GCM sealed and bound to (namespace, key path, version): no plaintext column anywhere.
 */
export class CreateSecretTables1733000000000 implements MigrationInterface {
  name = 'CreateSecretTables1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE secret_namespace (
        id               uuid        NOT NULL,
        master_key_id    text        NULL,
        wrapped_data_key bytea       NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        deleted_at       timestamptz NULL,
        CONSTRAINT secret_namespace_pkey PRIMARY KEY (id),
        CONSTRAINT secret_namespace_key_check
          CHECK ((deleted_at IS NULL) = (master_key_id IS NOT NULL AND wrapped_data_key IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE secret_entry (
        id           uuid        NOT NULL DEFAULT gen_random_uuid(),
        namespace_id uuid        NOT NULL,
        key_path     text        COLLATE "C" NOT NULL,
        value_type   text        NOT NULL,
        version      integer     NOT NULL DEFAULT 0,
        metadata     jsonb       NULL,
        expires_at   timestamptz NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT secret_entry_pkey PRIMARY KEY (id),
        CONSTRAINT secret_entry_namespace_id_fkey FOREIGN KEY (namespace_id) REFERENCES secret_namespace (id) ON DELETE CASCADE,
        CONSTRAINT secret_entry_namespace_id_key_path_key UNIQUE (namespace_id, key_path),
        CONSTRAINT secret_entry_value_type_check
          CHECK (value_type IN ('STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION')),
        CONSTRAINT secret_entry_version_check CHECK (version >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX secret_entry_expires_at_idx ON secret_entry (expires_at) WHERE expires_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE secret_version (
        entry_id      uuid        NOT NULL,
        version       integer     NOT NULL,
        ciphertext    bytea       NOT NULL,
        value_type    text        NOT NULL,
        change        text        NOT NULL,
        reason        text        NULL,
        restored_from integer     NULL,
        actor_id      text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT secret_version_pkey PRIMARY KEY (entry_id, version),
        CONSTRAINT secret_version_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES secret_entry (id) ON DELETE CASCADE,
        CONSTRAINT secret_version_version_check CHECK (version >= 1),
        CONSTRAINT secret_version_value_type_check
          CHECK (value_type IN ('STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION')),
        CONSTRAINT secret_version_change_check CHECK (change IN ('CREATE', 'UPDATE', 'ROTATION', 'ROLLBACK'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE secret_version`);
    await queryRunner.query(`DROP INDEX secret_entry_expires_at_idx`);
    await queryRunner.query(`DROP TABLE secret_entry`);
    await queryRunner.query(`DROP TABLE secret_namespace`);
  }
}
