import type { ChangeEvent } from '@kv-service/client';

/**
 * Where each answer is kept in the query cache, in one place: the mutations and the watch make stale (or drop) what
 * the screens read. No key holds a secret's value (it is never cached: see secret-queries.ts).
 */
export const namespacesKey = ['namespaces'] as const;

export const namespaceKey = (namespaceId: string) => ['namespace', namespaceId] as const;

/** Every answer about a namespace's entries: its folders' listings and its entries. */
export const entriesKey = (namespaceId: string) => ['entries', namespaceId] as const;

export const entryLevelsKey = (namespaceId: string) => [...entriesKey(namespaceId), 'level'] as const;

export const entryKey = (namespaceId: string, key: string) => [...entriesKey(namespaceId), 'entry', key] as const;

/** A secret's state and history (never its value); with no key, every secret of the namespace. */
export const secretKey = (namespaceId: string, key?: string) =>
  key === undefined ? (['secret', namespaceId] as const) : (['secret', namespaceId, key] as const);

/**
 * What a change from the watch makes stale beyond the folders' listings (which every change does): the changed key's
 * entry and secret state, or the namespace itself (and the list of namespaces) when it was edited or deleted.
 */
export function staleAfterChange(change: ChangeEvent): ReadonlyArray<readonly unknown[]> {
  if (change.type === 'namespace_updated' || change.type === 'namespace_deleted') return [namespaceKey(change.namespaceId), namespacesKey];
  if (change.keyPath === null) return [];
  return [entryKey(change.namespaceId, change.keyPath), secretKey(change.namespaceId, change.keyPath)];
}
