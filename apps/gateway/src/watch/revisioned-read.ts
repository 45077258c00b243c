import type { NamespaceDescriptor, WithRevision } from '@app/contracts';
import { formatWatchCursor } from './watch-cursor';

/** A read's answer, and the cursor it reflects (the X-KV-Revision header): a watch from there misses no later change. */
export interface RevisionedRead<T> {
  answer: T;
  revision: string;
}

/**
 * The service's reply split into its answer and its cursor. A secret namespace's cursor pairs the descriptor's kv-entry
 * revision (its namespace changes) with the secrets service's (its entries); both are lower bounds, so the pair is one.
 */
export function revisionedRead<T extends object>(
  { revision, ...answer }: T & WithRevision,
  secretNamespace: NamespaceDescriptor | null,
): RevisionedRead<T> {
  const position =
    secretNamespace === null ? { entries: revision, secrets: null } : { entries: secretNamespace.revision ?? 0, secrets: revision };
  return { answer: answer as T, revision: formatWatchCursor(position) };
}
