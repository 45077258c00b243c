import {
  BulkDeleteResult,
  BulkGetResult,
  BulkKeysRequest,
  BulkSetRequest,
  BulkSetResult,
  EntryDto,
  EntryKeyRequest,
  EntryListRequest,
  EntryPage,
  EntryPattern,
  EntryPutReply,
  EntryPutRequest,
  NamespaceByIdRequest,
  NamespaceDeleteReply,
  NamespaceCreateRequest,
  NamespaceDescriptor,
  NamespaceDto,
  NamespaceListRequest,
  NamespacePage,
  NamespacePattern,
  NamespaceUpdateRequest,
} from '@app/contracts';

/** Every message the gateway sends to the kv-entry service: its request and its reply. */
export interface KvEntryRpc {
  [NamespacePattern.CREATE]: { request: NamespaceCreateRequest; reply: NamespaceDto };
  [NamespacePattern.GET]: { request: NamespaceByIdRequest; reply: NamespaceDto };
  [NamespacePattern.LIST]: { request: NamespaceListRequest; reply: NamespacePage };
  [NamespacePattern.UPDATE]: { request: NamespaceUpdateRequest; reply: NamespaceDto };
  [NamespacePattern.DELETE]: { request: NamespaceByIdRequest; reply: NamespaceDeleteReply };
  [NamespacePattern.DESCRIBE]: { request: NamespaceByIdRequest; reply: NamespaceDescriptor };
  [EntryPattern.GET]: { request: EntryKeyRequest; reply: EntryDto };
  [EntryPattern.LIST]: { request: EntryListRequest; reply: EntryPage };
  [EntryPattern.PUT]: { request: EntryPutRequest; reply: EntryPutReply };
  [EntryPattern.DELETE]: { request: EntryKeyRequest; reply: unknown };
  [EntryPattern.BULK_GET]: { request: BulkKeysRequest; reply: BulkGetResult };
  [EntryPattern.BULK_SET]: { request: BulkSetRequest; reply: BulkSetResult };
  [EntryPattern.BULK_DELETE]: { request: BulkKeysRequest; reply: BulkDeleteResult };
}
