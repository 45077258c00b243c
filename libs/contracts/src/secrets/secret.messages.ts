import { Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Limits } from '../common/limits';
import { MessageMeta, WithBody, WithQuery } from '../common/message-meta';
import type { BulkDeleteResult, BulkGetResult, BulkSetResult, EntryDto, EntryKeyPage, EntryPage } from '../entries/entry.dto';
import {
  BulkKeysRequest,
  BulkSetRequest,
  EntryKeyListRequest,
  EntryKeyRequest,
  EntryListRequest,
  EntryPutRequest,
} from '../entries/entry.messages';
import type { EntryPutReply } from '../entries/entry.messages';
import { NamespaceByIdRequest } from '../namespaces/namespace.messages';
import { NamespaceDescriptor } from '../namespaces/namespace.dto';
import { SecretRollbackBody, SecretRotateBody, SecretVersionQuery } from './secret.dto';
import type { SecretVersionPage } from './secret.dto';
import type { WithRevision } from '../changes/change-log.messages';

/**
 * Messages of the secrets service, which owns every entry of a secret namespace. Entry calls are the
 * same as the kv-entry service's, plus the namespace descriptor the gateway routed by.
 */
export const SecretEntryPattern = {
  GET: 'secrets.entry.get.query',
  LIST: 'secrets.entry.list.query',
  LIST_KEYS: 'secrets.entry.list-keys.query',
  PUT: 'secrets.entry.put.command',
  DELETE: 'secrets.entry.delete.command',
  BULK_GET: 'secrets.entry.bulk-get.query',
  BULK_SET: 'secrets.entry.bulk-set.command',
  BULK_DELETE: 'secrets.entry.bulk-delete.command',
  ROTATE: 'secrets.entry.rotate.command',
  ROLLBACK: 'secrets.entry.rollback.command',
  VERSIONS: 'secrets.entry.versions.query',
} as const;

export const SecretNamespacePattern = {
  /** The namespace was deleted: drop its entries, versions and data key, and refuse it from now on. */
  PURGE: 'secrets.namespace.purge.command',
} as const;

/** Adds the routed namespace's descriptor to a request class. */
function WithNamespace<TBase extends ClassType<MessageMeta>>(Base: TBase) {
  class WithNamespaceDescriptor extends Base {
    @ValidateNested() @Type(() => NamespaceDescriptor) namespace!: NamespaceDescriptor;
  }
  return WithNamespaceDescriptor;
}

export class SecretEntryKeyRequest extends WithNamespace(EntryKeyRequest) {}
export class SecretEntryListRequest extends WithNamespace(EntryListRequest) {}
export class SecretEntryKeyListRequest extends WithNamespace(EntryKeyListRequest) {}
export class SecretEntryPutRequest extends WithNamespace(EntryPutRequest) {}
export class SecretBulkKeysRequest extends WithNamespace(BulkKeysRequest) {}
export class SecretBulkSetRequest extends WithNamespace(BulkSetRequest) {}

export class SecretEntryGetRequest extends SecretEntryKeyRequest {
  /** Read this old version instead of the current one (needs kv-secret:versions). */
  @IsOptional() @IsInt() @Min(1) @Max(Limits.MAX_VERSION) version?: number;
}

export class SecretRotateRequest extends WithBody(SecretEntryKeyRequest, SecretRotateBody) {}

export class SecretRollbackRequest extends WithBody(SecretEntryKeyRequest, SecretRollbackBody) {}

export class SecretVersionsRequest extends WithQuery(SecretEntryKeyRequest, SecretVersionQuery) {}

/** Carries the deleted namespace's descriptor, so the purge is authorized like every other call. */
export class SecretNamespacePurgeRequest extends WithNamespace(NamespaceByIdRequest) {}

/** Each message of the secrets service: its request and its reply (the gateway's client is typed by it). */
export interface SecretsRpc {
  [SecretEntryPattern.GET]: { request: SecretEntryGetRequest; reply: EntryDto & WithRevision };
  [SecretEntryPattern.LIST]: { request: SecretEntryListRequest; reply: EntryPage & WithRevision };
  [SecretEntryPattern.LIST_KEYS]: { request: SecretEntryKeyListRequest; reply: EntryKeyPage & WithRevision };
  [SecretEntryPattern.PUT]: { request: SecretEntryPutRequest; reply: EntryPutReply };
  [SecretEntryPattern.DELETE]: { request: SecretEntryKeyRequest; reply: { deleted: true } };
  [SecretEntryPattern.BULK_GET]: { request: SecretBulkKeysRequest; reply: BulkGetResult & WithRevision };
  [SecretEntryPattern.BULK_SET]: { request: SecretBulkSetRequest; reply: BulkSetResult };
  [SecretEntryPattern.BULK_DELETE]: { request: SecretBulkKeysRequest; reply: BulkDeleteResult };
  [SecretEntryPattern.ROTATE]: { request: SecretRotateRequest; reply: EntryDto };
  [SecretEntryPattern.ROLLBACK]: { request: SecretRollbackRequest; reply: EntryDto };
  [SecretEntryPattern.VERSIONS]: { request: SecretVersionsRequest; reply: SecretVersionPage };
  [SecretNamespacePattern.PURGE]: { request: SecretNamespacePurgeRequest; reply: { purged: number } };
}
