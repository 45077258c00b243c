/**
 * The outbox table of each entry service's migration, versioned by name: a migration that ran must mean the same forever.
 * An event's row is inserted after its change locked the entry, so `sequence` orders one entry's changes as they committed.
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
