import { IsString, IsUUID } from 'class-validator';
import { MessageMeta, WithBody, WithQuery } from '../common/message-meta';
import { BulkKeysBody, BulkSetBody, EntryKeyListQuery, EntryListQuery, EntryPutBody } from './entry.dto';
import type { BulkDeleteResult, BulkGetResult, BulkSetResult, EntryDto, EntryKeyPage, EntryPage } from './entry.dto';
import type { WithRevision } from '../changes/change-log.messages';

/**
 * Messages about entries: `<service>.entry.<verb>.<command|query>`. The same requests go to
 * the kv-entry service (plain namespaces) and, with its own patterns, to the secrets service.
 */
export const EntryPattern = {
  GET: 'kv-entry.entry.get.query',
  LIST: 'kv-entry.entry.list.query',
  LIST_KEYS: 'kv-entry.entry.list-keys.query',
  PUT: 'kv-entry.entry.put.command',
  DELETE: 'kv-entry.entry.delete.command',
  BULK_GET: 'kv-entry.entry.bulk-get.query',
  BULK_SET: 'kv-entry.entry.bulk-set.command',
  BULK_DELETE: 'kv-entry.entry.bulk-delete.command',
} as const;

export class NamespaceScopedRequest extends MessageMeta {
  @IsUUID() namespaceId!: string;
}

export class EntryKeyRequest extends NamespaceScopedRequest {
  /** Checked against the key-path rules by the service, so that the error is INVALID_KEY. */
  @IsString() key!: string;
}

export class EntryPutRequest extends WithBody(EntryKeyRequest, EntryPutBody) {}

export class EntryListRequest extends WithQuery(NamespaceScopedRequest, EntryListQuery) {}

export class EntryKeyListRequest extends WithQuery(NamespaceScopedRequest, EntryKeyListQuery) {}

export class BulkKeysRequest extends WithBody(NamespaceScopedRequest, BulkKeysBody) {}

export class BulkSetRequest extends WithBody(NamespaceScopedRequest, BulkSetBody) {}

/** Reply to a PUT: the entry, and whether the write created it (201) or replaced it (200). */
export interface EntryPutReply {
  entry: EntryDto;
  created: boolean;
}

/** Each entry message of the kv-entry service: its request and its reply (the gateway's client is typed by it). */
export interface EntryRpc {
  [EntryPattern.GET]: { request: EntryKeyRequest; reply: EntryDto & WithRevision };
  [EntryPattern.LIST]: { request: EntryListRequest; reply: EntryPage & WithRevision };
  [EntryPattern.LIST_KEYS]: { request: EntryKeyListRequest; reply: EntryKeyPage & WithRevision };
  [EntryPattern.PUT]: { request: EntryPutRequest; reply: EntryPutReply };
  [EntryPattern.DELETE]: { request: EntryKeyRequest; reply: { deleted: true } };
  [EntryPattern.BULK_GET]: { request: BulkKeysRequest; reply: BulkGetResult & WithRevision };
  [EntryPattern.BULK_SET]: { request: BulkSetRequest; reply: BulkSetResult };
  [EntryPattern.BULK_DELETE]: { request: BulkKeysRequest; reply: BulkDeleteResult };
}
