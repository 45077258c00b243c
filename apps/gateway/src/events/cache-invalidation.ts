import { KvEventType } from '@app/contracts';
import type { EntryCache } from '../entries/entry-cache';
import type { NamespaceDirectory } from '../namespaces/namespace-directory.service';

/** The gateway's caches that kv.events keep fresh. */
export interface InvalidatedCaches {
  directory: Pick<NamespaceDirectory, 'evict'>;
  entries: Pick<EntryCache, 'invalidate' | 'invalidateNamespace' | 'suspend' | 'resume'>;
}

/** The routing keys the gateway listens to on kv.events. */
export const INVALIDATING_EVENT_BINDINGS = ['kv.entry.*', 'kv.namespace.*'] as const;

const ENTRY_CHANGES: ReadonlySet<string> = new Set([
  KvEventType.ENTRY_CREATED,
  KvEventType.ENTRY_UPDATED,
  KvEventType.ENTRY_DELETED,
  KvEventType.ENTRY_EXPIRED,
]);

interface EventFacts {
  type: string;
  namespaceId: string;
  keyPath: unknown;
}

function factsOf(body: Buffer): EventFacts | undefined {
  try {
    const event = JSON.parse(body.toString('utf8')) as Partial<Record<keyof EventFacts, unknown>> | null;
    if (typeof event?.type !== 'string' || typeof event.namespaceId !== 'string') return undefined;
    return { type: event.type, namespaceId: event.namespaceId, keyPath: event.keyPath };
  } catch {
    return undefined;
  }
}

/**
 * Applies one kv.events message to the caches. A message that cannot be understood, or of a type this
 * gateway does not know (a newer publisher's), may have been about anything, so every cached entry is
 * dropped: returns false then, for the caller to log.
 */
export function invalidateFor(body: Buffer, caches: InvalidatedCaches): boolean {
  const facts = factsOf(body);
  if (facts !== undefined && ENTRY_CHANGES.has(facts.type) && typeof facts.keyPath === 'string') {
    caches.entries.invalidate(facts.namespaceId, facts.keyPath);
    return true;
  }
  switch (facts?.type) {
    case KvEventType.NAMESPACE_CREATED:
      return true;
    case KvEventType.NAMESPACE_UPDATED:
      caches.directory.evict(facts.namespaceId);
      return true;
    case KvEventType.NAMESPACE_DELETED:
      caches.directory.evict(facts.namespaceId);
      caches.entries.invalidateNamespace(facts.namespaceId);
      return true;
    default:
      caches.entries.suspend();
      caches.entries.resume();
      return false;
  }
}
