import {
  BulkDeleteResult,
  BulkGetResult,
  BulkSetResult,
  EntryDto,
  EntryPage,
  EntryPutReply,
  SecretBulkKeysRequest,
  SecretBulkSetRequest,
  SecretEntryGetRequest,
  SecretEntryKeyRequest,
  SecretEntryListRequest,
  SecretEntryPattern,
  SecretEntryPutRequest,
  SecretNamespacePattern,
  SecretNamespacePurgeRequest,
  SecretRollbackRequest,
  SecretRotateRequest,
  SecretVersionPage,
  SecretVersionsRequest,
} from '@app/contracts';

/** Every message the gateway sends to the secrets service: its request and its reply. */
export interface SecretsRpc {
  [SecretEntryPattern.GET]: { request: SecretEntryGetRequest; reply: EntryDto };
  [SecretEntryPattern.LIST]: { request: SecretEntryListRequest; reply: EntryPage };
  [SecretEntryPattern.PUT]: { request: SecretEntryPutRequest; reply: EntryPutReply };
  [SecretEntryPattern.DELETE]: { request: SecretEntryKeyRequest; reply: unknown };
  [SecretEntryPattern.BULK_GET]: { request: SecretBulkKeysRequest; reply: BulkGetResult };
  [SecretEntryPattern.BULK_SET]: { request: SecretBulkSetRequest; reply: BulkSetResult };
  [SecretEntryPattern.BULK_DELETE]: { request: SecretBulkKeysRequest; reply: BulkDeleteResult };
  [SecretEntryPattern.ROTATE]: { request: SecretRotateRequest; reply: EntryDto };
  [SecretEntryPattern.ROLLBACK]: { request: SecretRollbackRequest; reply: EntryDto };
  [SecretEntryPattern.VERSIONS]: { request: SecretVersionsRequest; reply: SecretVersionPage };
  [SecretNamespacePattern.PURGE]: { request: SecretNamespacePurgeRequest; reply: unknown };
}
