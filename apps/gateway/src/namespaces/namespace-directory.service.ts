import { ErrorCode, KvException, MessageMeta, NamespaceDescriptor, NamespacePattern } from '@app/contracts';
import { canAccessApplication } from '@app/permissions';
import { noteResolvedNamespace } from '../audit/audit-notes';
import { KvEntryClient } from '../rpc/kv-entry.client';

export interface NamespaceDirectoryOptions {
  /** How long a descriptor is reused; 0 asks kv-entry every time. */
  ttlMs: number;
  /** At most this many descriptors are kept; the oldest goes first. */
  maxEntries: number;
}

export const NAMESPACE_CACHE_MAX_ENTRIES = 10_000;

interface CachedDescriptor {
  descriptor: NamespaceDescriptor;
  expiresAt: number;
}

/** The same answer kv-entry gives, so that a cache hit and a miss cannot be told apart. */
function namespaceNotFound(namespaceId: string): KvException {
  return new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${namespaceId} not found`);
}

/**
 * Namespace descriptors from kv-entry's `DESCRIBE`, kept briefly so that a hit costs no broker round trip. The application
 * check runs here on every call, so a descriptor cached for one caller never reaches another who may not see it. Id,
 * application and kind never change; the rest is evicted by this gateway's updates and by every replica's namespace
 * events (KvEventSubscription), and the TTL bounds what a lost event could leave stale.
 */
export class NamespaceDirectory {
  private readonly cache = new Map<string, CachedDescriptor>();
  /** Bumped by every eviction: a lookup that started before one must not cache what it got. */
  private evictions = 0;

  constructor(
    private readonly kvEntry: KvEntryClient,
    private readonly options: NamespaceDirectoryOptions,
  ) {}

  async describe(meta: MessageMeta, namespaceId: string): Promise<NamespaceDescriptor> {
    const descriptor = this.cached(namespaceId) ?? (await this.lookUp(meta, namespaceId));
    // Before the access check: a refused call is recorded under the application it tried to reach.
    noteResolvedNamespace(descriptor);
    if (!canAccessApplication(meta.actor, descriptor.applicationId)) throw namespaceNotFound(namespaceId);
    return descriptor;
  }

  evict(namespaceId: string): void {
    this.evictions += 1;
    this.cache.delete(namespaceId);
  }

  private cached(namespaceId: string): NamespaceDescriptor | undefined {
    const entry = this.cache.get(namespaceId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > performance.now()) return entry.descriptor;
    this.cache.delete(namespaceId);
    return undefined;
  }

  private async lookUp(meta: MessageMeta, namespaceId: string): Promise<NamespaceDescriptor> {
    const evictionsBefore = this.evictions;
    const descriptor = await this.kvEntry.send(NamespacePattern.DESCRIBE, { ...meta, namespaceId });
    if (this.options.ttlMs > 0 && this.evictions === evictionsBefore) this.remember(namespaceId, descriptor);
    return descriptor;
  }

  private remember(namespaceId: string, descriptor: NamespaceDescriptor): void {
    // Re-inserting moves the id to the end: the Map's order is the order of expiry.
    this.cache.delete(namespaceId);
    if (this.cache.size >= this.options.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(namespaceId, { descriptor, expiresAt: performance.now() + this.options.ttlMs });
  }
}
