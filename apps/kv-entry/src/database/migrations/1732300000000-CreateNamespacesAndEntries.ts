import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written and append-only: the value types are spelled out, not imported, so that it means the same forever. Key
 * paths and names use the "C" collation: byte order on every server, the only one whose btree on (namespace_id, key_path)
 * serves `key_path LIKE 'prefix%'`.
 */
export class CreateNamespacesAndEntries1732300000000 implements MigrationInterface {
  name = 'CreateNamespacesAndEntries1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE namespace (
        id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
        application_id      text        COLLATE "C" NOT NULL,
        name                text        COLLATE "C" NOT NULL,
        description         text        NULL,
        is_secret           boolean     NOT NULL DEFAULT false,
        default_ttl_seconds integer     NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT namespace_pkey PRIMARY KEY (id),
        CONSTRAINT namespace_application_id_name_key UNIQUE (application_id, name),
        CONSTRAINT namespace_default_ttl_seconds_check CHECK (default_ttl_seconds IS NULL OR default_ttl_seconds > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE entry (
        id           uuid        NOT NULL DEFAULT gen_random_uuid(),
        namespace_id uuid        NOT NULL,
        key_path     text        COLLATE "C" NOT NULL,
        value        jsonb       NOT NULL,
        value_type   text        NOT NULL,
        version      integer     NOT NULL DEFAULT 1,
        metadata     jsonb       NULL,
        expires_at   timestamptz NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT entry_pkey PRIMARY KEY (id),
        CONSTRAINT entry_namespace_id_fkey FOREIGN KEY (namespace_id) REFERENCES namespace (id) ON DELETE CASCADE,
        CONSTRAINT entry_namespace_id_key_path_key UNIQUE (namespace_id, key_path),
        CONSTRAINT entry_value_type_check
          CHECK (value_type IN ('STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION')),
        CONSTRAINT entry_version_check CHECK (version >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX entry_expires_at_idx ON entry (expires_at) WHERE expires_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX entry_expires_at_idx`);
    await queryRunner.query(`DROP TABLE entry`);
    await queryRunner.query(`DROP TABLE namespace`);
  }
}
