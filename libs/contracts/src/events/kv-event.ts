import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The durable topic exchange other services bind to. Never renamed without a migration plan. */
export const KV_EVENTS_EXCHANGE = 'kv.events';

/** Event types; each is also the routing key on `kv.events`. */
export const KvEventType = {
  NAMESPACE_CREATED: 'kv.namespace.created',
  NAMESPACE_UPDATED: 'kv.namespace.updated',
  NAMESPACE_DELETED: 'kv.namespace.deleted',
  ENTRY_CREATED: 'kv.entry.created',
  ENTRY_UPDATED: 'kv.entry.updated',
  ENTRY_DELETED: 'kv.entry.deleted',
  ENTRY_EXPIRED: 'kv.entry.expired',
  SECRET_ROTATED: 'kv.secret.rotated',
  SECRET_ROLLED_BACK: 'kv.secret.rolled_back',
} as const;
export type KvEventType = (typeof KvEventType)[keyof typeof KvEventType];
export const KV_EVENT_TYPES = Object.values(KvEventType);

export const KV_EVENT_SCHEMA_VERSION = 1;

/** Who expires entries: the sweep, not a principal. */
export const SYSTEM_ACTOR = 'system';

/**
 * The envelope of every event: ids and facts, never a value. A consumer that needs the value reads it
 * through the API with its own token. Fields are only ever added, never renamed or removed, within a
 * schema version.
 */
export class KvEvent {
  @IsUUID() id!: string;
  @IsIn(KV_EVENT_TYPES) type!: KvEventType;
  @IsISO8601() occurredAt!: string;
  @IsString() @MaxLength(128) applicationId!: string;
  @IsUUID() namespaceId!: string;
  /** Entry events only. */
  @IsOptional() @IsUUID() entryId!: string | null;
  @IsOptional() @IsString() @MaxLength(512) keyPath!: string | null;
  /** The entry's version after the change (entry events), else null. */
  @IsOptional() @IsInt() version!: number | null;
  /** Principal id of the caller, or `system` for expiry. */
  @IsString() @MaxLength(256) actor!: string;
  /** The gateway request that caused the change, when there was one. */
  @IsOptional() @IsString() @MaxLength(128) requestId!: string | null;
  @IsIn([KV_EVENT_SCHEMA_VERSION]) schemaVersion!: typeof KV_EVENT_SCHEMA_VERSION;
}
