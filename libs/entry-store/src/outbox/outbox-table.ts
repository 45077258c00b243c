/**
 * The outbox table, as each entry service's migration creates it. Versioned by name: a migration that
 * ran must mean the same thing forever, so a later change gets a new constant and a new migration.
 *
 * `sequence` orders publication: an event's row is inserted after the change locked its entry, so two
 * changes of one entry always get their sequences in commit order.
 */
export const OUTBOX_TABLE_V1 = `
  CREATE TABLE outbox_event (
    sequence       bigserial   NOT NULL,
    id             uuid        NOT NULL,
    routing_key    text        NOT NULL,
    event          jsonb       NOT NULL,
    client_address text        NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbox_event_pkey PRIMARY KEY (sequence),
    CONSTRAINT outbox_event_id_key UNIQUE (id)
  )`;
