import { Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  KvException,
  MessageMeta,
  NamespaceDeleteReply,
  NamespaceDescriptor,
  NamespaceDto,
  NamespaceInput,
  NamespaceListQuery,
  NamespacePage,
  NamespacePattern,
  SecretNamespacePattern,
} from '@app/contracts';
import { KvEntryClient } from '../rpc/kv-entry.client';
import { SecretsClient } from '../rpc/secrets.client';
import { NamespaceDirectory } from './namespace-directory.service';

/**
 * Namespaces live in the kv-entry service. Changing or deleting one also keeps this gateway's
 * NamespaceDirectory fresh, and deleting a secret namespace purges its secrets in the secrets service.
 */
@Injectable()
export class NamespacesService {
  private readonly logger = new Logger(NamespacesService.name);

  constructor(
    private readonly kvEntry: KvEntryClient,
    private readonly secrets: SecretsClient,
    private readonly directory: NamespaceDirectory,
  ) {}

  list(meta: MessageMeta, query: NamespaceListQuery): Promise<NamespacePage> {
    return this.kvEntry.send(NamespacePattern.LIST, { ...meta, query });
  }

  get(meta: MessageMeta, namespaceId: string): Promise<NamespaceDto> {
    return this.kvEntry.send(NamespacePattern.GET, { ...meta, namespaceId });
  }

  create(meta: MessageMeta, body: NamespaceInput): Promise<NamespaceDto> {
    return this.kvEntry.send(NamespacePattern.CREATE, { ...meta, body });
  }

  async update(meta: MessageMeta, namespaceId: string, body: NamespaceInput): Promise<NamespaceDto> {
    try {
      return await this.kvEntry.send(NamespacePattern.UPDATE, { ...meta, namespaceId, body });
    } finally {
      // Its default TTL or version cap may have changed.
      this.directory.evict(namespaceId);
    }
  }

  /** The reply names what was deleted, on a replay too: a retry that finds the deletion done still purges. */
  async delete(meta: MessageMeta, namespaceId: string): Promise<void> {
    let deleted: NamespaceDeleteReply;
    try {
      deleted = await this.kvEntry.send(NamespacePattern.DELETE, { ...meta, namespaceId });
    } finally {
      this.directory.evict(namespaceId);
    }
    if (deleted.namespace.isSecretNamespace) await this.purgeSecrets(meta, deleted.namespace);
  }

  /**
   * The namespace is gone from kv-entry, so no call can reach its secrets any more; only their
   * deletion remains. If it fails, the caller is told (503) and the log names the namespace for an
   * operator. (A later issue makes this reliable with namespace events instead of this call.)
   */
  private async purgeSecrets(meta: MessageMeta, namespace: NamespaceDescriptor): Promise<void> {
    const namespaceId = namespace.id;
    try {
      await this.secrets.send(SecretNamespacePattern.PURGE, { ...meta, namespaceId, namespace });
    } catch (error) {
      const code = error instanceof KvException ? error.code : 'unexpected error';
      this.logger.error(
        `namespace ${namespaceId} was deleted but its secrets were not purged (${code}, requestId=${meta.requestId}); purge it in the secrets service`,
      );
      throw new KvException(
        ErrorCode.SERVICE_UNAVAILABLE,
        `namespace ${namespaceId} was deleted, but purging its secrets failed; they can no longer be reached and will have to be purged by an operator`,
      );
    }
  }
}
