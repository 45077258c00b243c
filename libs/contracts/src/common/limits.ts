/** Limits shared by the gateway and the services; each side enforces them. */
export const Limits = {
  /** A key path is at most this many UTF-8 bytes. */
  MAX_KEY_BYTES: 512,
  /** Default cap of a value's size (its JSON encoding, in UTF-8 bytes); configurable per deployment. */
  DEFAULT_MAX_VALUE_BYTES: 1024 * 1024,
  /** Metadata is a JSON object of at most this many bytes once encoded. */
  MAX_METADATA_BYTES: 16 * 1024,
  /** Keys (or entries) in one bulk call. */
  MAX_BULK_KEYS: 1000,
  DEFAULT_PAGE_SIZE: 100,
  MAX_PAGE_SIZE: 1000,
  /** Ten years: a TTL beyond this is almost certainly a unit mistake. */
  MAX_TTL_SECONDS: 10 * 365 * 24 * 3600,
  NAMESPACE_NAME_PATTERN: /^[A-Za-z0-9._-]{1,63}$/,
  APPLICATION_ID_PATTERN: /^[A-Za-z0-9._:-]{1,128}$/,
  MAX_DESCRIPTION_LENGTH: 1024,
  /** A secret namespace may keep at most this many versions of an entry (oldest pruned). */
  MAX_SECRET_VERSIONS: 10000,
  MAX_REASON_LENGTH: 512,
  /** A principal's id (a token's `sub`): it travels in every message and audit record. */
  MAX_PRINCIPAL_ID_LENGTH: 256,
  /** Grants and applications a principal (a token's `permissions` and `apps`) may name. */
  MAX_PRINCIPAL_PERMISSIONS: 256,
  MAX_PRINCIPAL_APPLICATIONS: 1024,
  /** Versions are Postgres `integer`s. */
  MAX_VERSION: 2_147_483_647,
} as const;
