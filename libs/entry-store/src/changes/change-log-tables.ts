/**
 * The change log of each entry service's migration, versioned by name: a migration that ran must mean the same forever.
 * `change_log_head` is one row: the last revision given out and the last one pruned (every change up to it may be gone).
 */
export const CHANGE_LOG_TABLES_V1 = [
  `CREATE TABLE change_log (
     revision     bigint      NOT NULL,
     namespace_id uuid        NOT NULL,
     key_path     text        NULL,
     event        jsonb       NOT NULL,
     logged_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
     CONSTRAINT change_log_pkey PRIMARY KEY (revision)
   )`,
  `CREATE INDEX change_log_namespace_revision_idx ON change_log (namespace_id, revision)`,
  `CREATE TABLE change_log_head (
     id                boolean NOT NULL DEFAULT true,
     revision          bigint  NOT NULL,
     compacted_through bigint  NOT NULL,
     CONSTRAINT change_log_head_pkey PRIMARY KEY (id),
     CONSTRAINT change_log_head_single_row CHECK (id),
     CONSTRAINT change_log_head_order CHECK (compacted_through <= revision)
   )`,
  `INSERT INTO change_log_head (id, revision, compacted_through) VALUES (true, 0, 0)`,
];
