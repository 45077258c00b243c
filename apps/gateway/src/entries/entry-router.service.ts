import { Injectable } from '@nestjs/common';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkKeysBody,
  BulkSetBody,
  BulkSetResult,
  EntryDto,
  EntryKeyListQuery,
  EntryKeyPage,
  EntryListQuery,
  EntryPage,
  EntryPattern,
  EntryPutBody,
  EntryPutReply,
  ErrorCode,
  KvException,
  MessageMeta,
  NamespaceDescriptor,
  SecretEntryPattern,
  SecretRollbackBody,
  SecretRotateBody,
  SecretVersionPage,
  SecretVersionQuery,
} from '@app/contracts';
import { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { KvEntryClient } from '../rpc/kv-entry.client';
import { SecretsClient } from '../rpc/secrets.client';
import { RevisionedRead, revisionedRead } from '../watch/revisioned-read';
import { EntryCache } from './entry-cache';

/** One call, as each service takes it: kv-entry for a plain namespace, secrets (with the descriptor) for a secret one. */
interface Routes<T> {
  plain: () => Promise<T>;
  secret: (namespace: NamespaceDescriptor) => Promise<T>;
}

/**
 * Sends each entry call to the owner of the namespace's entries: kv-entry for a plain namespace, the secrets service, with
 * the NamespaceDirectory's descriptor added, for a secret one. This gateway's writes invalidate their EntryCache keys once
 * the service has answered, or failed to: the write may still have happened.
 */
@Injectable()
export class EntryRouter {
  constructor(
    private readonly directory: NamespaceDirectory,
    private readonly kvEntry: KvEntryClient,
    private readonly secrets: SecretsClient,
    private readonly cache: EntryCache,
  ) {}

  /** `acceptedAgeMs`: the caller accepts a kept copy of a plain entry read from kv-entry at most this long ago. */
  get(meta: MessageMeta, namespaceId: string, key: string, acceptedAgeMs?: number): Promise<RevisionedRead<EntryDto>> {
    const request = { ...meta, namespaceId, key };
    return this.route(meta, namespaceId, {
      plain: async () =>
        revisionedRead(await this.cache.read(namespaceId, key, acceptedAgeMs, () => this.kvEntry.send(EntryPattern.GET, request)), null),
      secret: async (namespace) => revisionedRead(await this.secrets.send(SecretEntryPattern.GET, { ...request, namespace }), namespace),
    });
  }

  list(meta: MessageMeta, namespaceId: string, query: EntryListQuery): Promise<RevisionedRead<EntryPage>> {
    const request = { ...meta, namespaceId, query };
    return this.route(meta, namespaceId, {
      plain: async () => revisionedRead(await this.kvEntry.send(EntryPattern.LIST, request), null),
      secret: async (namespace) => revisionedRead(await this.secrets.send(SecretEntryPattern.LIST, { ...request, namespace }), namespace),
    });
  }

  listKeys(meta: MessageMeta, namespaceId: string, query: EntryKeyListQuery): Promise<RevisionedRead<EntryKeyPage>> {
    const request = { ...meta, namespaceId, query };
    return this.route(meta, namespaceId, {
      plain: async () => revisionedRead(await this.kvEntry.send(EntryPattern.LIST_KEYS, request), null),
      secret: async (namespace) =>
        revisionedRead(await this.secrets.send(SecretEntryPattern.LIST_KEYS, { ...request, namespace }), namespace),
    });
  }

  put(meta: MessageMeta, namespaceId: string, key: string, body: EntryPutBody): Promise<EntryPutReply> {
    const request = { ...meta, namespaceId, key, body };
    return this.route(meta, namespaceId, {
      plain: () => this.invalidating(namespaceId, [key], this.kvEntry.send(EntryPattern.PUT, request)),
      secret: (namespace) => this.secrets.send(SecretEntryPattern.PUT, { ...request, namespace }),
    });
  }

  async delete(meta: MessageMeta, namespaceId: string, key: string): Promise<void> {
    const request = { ...meta, namespaceId, key };
    await this.route(meta, namespaceId, {
      plain: () => this.invalidating(namespaceId, [key], this.kvEntry.send(EntryPattern.DELETE, request)),
      secret: (namespace) => this.secrets.send(SecretEntryPattern.DELETE, { ...request, namespace }),
    });
  }

  bulkGet(meta: MessageMeta, namespaceId: string, body: BulkKeysBody): Promise<RevisionedRead<BulkGetResult>> {
    const request = { ...meta, namespaceId, body };
    return this.route(meta, namespaceId, {
      plain: async () => revisionedRead(await this.kvEntry.send(EntryPattern.BULK_GET, request), null),
      secret: async (namespace) =>
        revisionedRead(await this.secrets.send(SecretEntryPattern.BULK_GET, { ...request, namespace }), namespace),
    });
  }

  bulkSet(meta: MessageMeta, namespaceId: string, body: BulkSetBody): Promise<BulkSetResult> {
    const request = { ...meta, namespaceId, body };
    return this.route(meta, namespaceId, {
      plain: () =>
        this.invalidating(
          namespaceId,
          body.entries.map((entry) => entry.key),
          this.kvEntry.send(EntryPattern.BULK_SET, request),
        ),
      secret: (namespace) => this.secrets.send(SecretEntryPattern.BULK_SET, { ...request, namespace }),
    });
  }

  bulkDelete(meta: MessageMeta, namespaceId: string, body: BulkKeysBody): Promise<BulkDeleteResult> {
    const request = { ...meta, namespaceId, body };
    return this.route(meta, namespaceId, {
      plain: () => this.invalidating(namespaceId, body.keys, this.kvEntry.send(EntryPattern.BULK_DELETE, request)),
      secret: (namespace) => this.secrets.send(SecretEntryPattern.BULK_DELETE, { ...request, namespace }),
    });
  }

  /** An old value of a secret. */
  readVersion(meta: MessageMeta, namespaceId: string, key: string, version: number): Promise<RevisionedRead<EntryDto>> {
    return this.secretOnly(meta, namespaceId, async (namespace) =>
      revisionedRead(await this.secrets.send(SecretEntryPattern.GET, { ...meta, namespaceId, key, version, namespace }), namespace),
    );
  }

  versions(meta: MessageMeta, namespaceId: string, key: string, query: SecretVersionQuery): Promise<SecretVersionPage> {
    return this.secretOnly(meta, namespaceId, (namespace) =>
      this.secrets.send(SecretEntryPattern.VERSIONS, { ...meta, namespaceId, key, query, namespace }),
    );
  }

  rotate(meta: MessageMeta, namespaceId: string, key: string, body: SecretRotateBody): Promise<EntryDto> {
    return this.secretOnly(meta, namespaceId, (namespace) =>
      this.secrets.send(SecretEntryPattern.ROTATE, { ...meta, namespaceId, key, body, namespace }),
    );
  }

  rollback(meta: MessageMeta, namespaceId: string, key: string, body: SecretRollbackBody): Promise<EntryDto> {
    return this.secretOnly(meta, namespaceId, (namespace) =>
      this.secrets.send(SecretEntryPattern.ROLLBACK, { ...meta, namespaceId, key, body, namespace }),
    );
  }

  /** The keys' cached entries are stale once the write is done, whatever its answer. */
  private async invalidating<T>(namespaceId: string, keys: readonly string[], write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      for (const key of keys) this.cache.invalidate(namespaceId, key);
    }
  }

  private async route<T>(meta: MessageMeta, namespaceId: string, routes: Routes<T>): Promise<T> {
    const namespace = await this.directory.describe(meta, namespaceId);
    return namespace.isSecretNamespace ? routes.secret(namespace) : routes.plain();
  }

  /** Versions and rotation exist only where entries are versioned: in a secret namespace. */
  private secretOnly<T>(meta: MessageMeta, namespaceId: string, send: (namespace: NamespaceDescriptor) => Promise<T>): Promise<T> {
    return this.route(meta, namespaceId, {
      plain: () =>
        Promise.reject(
          new KvException(
            ErrorCode.NOT_A_SECRET_NAMESPACE,
            `namespace ${namespaceId} is not a secret namespace; only secret namespaces keep versions and rotate`,
          ),
        ),
      secret: send,
    });
  }
}
