/**
 * The tables of request deduplication, as each entry service's migration creates them (versioned by
 * name, like OUTBOX_TABLE_V1). `request_outcome` holds what a committed change answered, inserted in
 * that change's transaction: its primary key is what makes a change apply once. `idempotency_key`
 * holds the HTTP callers' keys: which request a key was first sent with, and which call holds it now.
 */
export const REQUEST_OUTCOME_TABLES_V1 = [
  `CREATE TABLE request_outcome (
     id         text        NOT NULL,
     outcome    jsonb       NOT NULL,
     expires_at timestamptz NOT NULL,
     CONSTRAINT request_outcome_pkey PRIMARY KEY (id)
   )`,
  'CREATE INDEX request_outcome_expires_at_idx ON request_outcome (expires_at)',
  `CREATE TABLE idempotency_key (
     key         text        NOT NULL,
     fingerprint text        NOT NULL,
     call_id     uuid        NOT NULL,
     lease_until timestamptz NOT NULL,
     expires_at  timestamptz NOT NULL,
     CONSTRAINT idempotency_key_pkey PRIMARY KEY (key)
   )`,
  'CREATE INDEX idempotency_key_expires_at_idx ON idempotency_key (expires_at)',
];

export const REQUEST_OUTCOME_PKEY = 'request_outcome_pkey';
