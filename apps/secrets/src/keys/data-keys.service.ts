import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NamespaceRef, namespaceNotFound } from '@app/entry-store';
import type { SecretsEnv } from '../config/secrets.env';
import { DataKeyCache, dataKeyCacheKey } from '../crypto/data-key-cache';
import { WrappedDataKey, generateDataKey, unwrapDataKey, wrapDataKey } from '../crypto/envelope';
import { MasterKeyring } from '../crypto/master-keyring';
import { NamespaceKeyRecord, SecretNamespacesRepository } from '../namespaces/secret-namespaces.repository';
import { MASTER_KEYRING } from './master-keyring.provider';
import { toStoreError } from './store-errors';

/**
 * Each secret namespace's data key: created (and wrapped by the active master key) with the namespace's
 * first secret, unwrapped on use through a bounded, expiring cache of keys (never of values). The
 * caller owns the Buffer it is lent and should not keep it; `withKey` wipes it afterwards.
 */
@Injectable()
export class DataKeys {
  private readonly logger = new Logger(DataKeys.name);
  private readonly cache: DataKeyCache;

  constructor(
    private readonly namespaces: SecretNamespacesRepository,
    @Inject(MASTER_KEYRING) private readonly keyring: MasterKeyring,
    config: ConfigService<SecretsEnv, true>,
  ) {
    this.cache = new DataKeyCache({
      maxEntries: config.get('KV_DATA_KEY_CACHE_SIZE', { infer: true }),
      ttlMs: config.get('KV_DATA_KEY_CACHE_TTL_MS', { infer: true }),
    });
  }

  /** Runs `work` with the namespace's data key, creating the key if the namespace has none yet. */
  async withKey<T>(namespace: NamespaceRef, work: (dataKey: Buffer) => Promise<T>): Promise<T> {
    const record =
      (await this.namespaces.find(namespace.id)) ??
      (await this.namespaces.insertIfAbsent(namespace.id, namespace.applicationId, this.newWrappedKey(namespace.id)));
    // The sweep's events name the application from this row, also for namespaces older than the column.
    if (record.applicationId === null && !record.deleted) await this.namespaces.recordApplication(namespace.id, namespace.applicationId);
    return this.lend(record, work);
  }

  /** Runs `work` with the namespace's data key, or with `null` when the namespace never held a secret. */
  async withExistingKey<T>(namespaceId: string, work: (dataKey: Buffer | null) => Promise<T>): Promise<T> {
    return this.withLoadedKey(await this.namespaces.find(namespaceId), work);
  }

  /** As `withExistingKey`, for a key row the caller loaded itself (with the entry it reads, say). */
  async withLoadedKey<T>(record: NamespaceKeyRecord | null, work: (dataKey: Buffer | null) => Promise<T>): Promise<T> {
    return record === null ? work(null) : this.lend(record, work);
  }

  /** Purges the namespace (see SecretNamespacesRepository.purge) and drops its key from this instance's cache. */
  async destroy(namespaceId: string): Promise<number> {
    const record = await this.namespaces.find(namespaceId);
    const purged = await this.namespaces.purge(namespaceId);
    if (record?.wrappedDataKey) this.cache.delete(dataKeyCacheKey(namespaceId, record.wrappedDataKey));
    return purged;
  }

  private async lend<T>(record: NamespaceKeyRecord, work: (dataKey: Buffer) => Promise<T>): Promise<T> {
    if (record.deleted || record.wrappedDataKey === null) throw namespaceNotFound(record.id);
    const dataKey = this.unwrap(record.id, record.wrappedDataKey);
    try {
      return await work(dataKey);
    } finally {
      dataKey.fill(0);
    }
  }

  private newWrappedKey(namespaceId: string): WrappedDataKey {
    const dataKey = generateDataKey();
    try {
      return wrapDataKey(this.keyring, dataKey, namespaceId);
    } finally {
      dataKey.fill(0);
    }
  }

  private unwrap(namespaceId: string, wrapped: WrappedDataKey): Buffer {
    const cacheKey = dataKeyCacheKey(namespaceId, wrapped);
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    let dataKey: Buffer;
    try {
      dataKey = unwrapDataKey(this.keyring, wrapped, namespaceId);
    } catch (error) {
      const mapped = toStoreError(error, `data key of namespace ${namespaceId}`);
      this.logger.error(
        `cannot unwrap the data key of namespace ${namespaceId} (master key "${wrapped.masterKeyId}"): ${(mapped as Error).message}`,
      );
      throw mapped;
    }
    this.cache.set(cacheKey, dataKey);
    return dataKey;
  }
}
