import type { Entry, EntryKeyPage, KvValue, Namespace, PutEntryOptions } from '@kv-service/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { entriesKey, entryKey, entryLevelsKey, namespaceKey, secretKey } from '../api/query-keys';
import { useSession } from '../auth/session-provider';

/** Rows a level's page holds (a folder is one row, however many keys it has). */
export const LEVEL_PAGE_SIZE = 50;

export function useNamespace(namespaceId: string) {
  const { client } = useSession();
  return useQuery<Namespace>({ queryKey: namespaceKey(namespaceId), queryFn: () => client.getNamespace(namespaceId) });
}

/** One page of a folder's level, keys only (no value is read, nor a secret decrypted). */
export function useEntryLevel(namespaceId: string, prefix: string, cursor: string | undefined) {
  const { client } = useSession();
  return useQuery<EntryKeyPage>({
    queryKey: [...entryLevelsKey(namespaceId), { prefix, cursor }],
    queryFn: () => client.listEntryKeys(namespaceId, { prefix: prefix || undefined, delimiter: '/', cursor, limit: LEVEL_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export function useEntry(namespaceId: string, key: string, enabled = true) {
  const { client } = useSession();
  return useQuery<Entry>({
    queryKey: entryKey(namespaceId, key),
    queryFn: () => client.getEntry(namespaceId, key),
    enabled,
  });
}

export interface PutEntryInput {
  key: string;
  value: KvValue;
  options: PutEntryOptions;
}

/** A save's outcome: the key and version written, and the entry itself for a plain namespace only. */
export interface Written {
  keyPath: string;
  version: number;
  entry: Entry | null;
}

/**
 * A save. A plain entry goes into the cache as written; a secret's answer (which holds its value) is dropped at once,
 * its cached state made stale instead, and the mutation (whose variables hold the typed value) forgotten with the form.
 */
export function usePutEntry(namespace: Pick<Namespace, 'id' | 'isSecretNamespace'>) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const { id: namespaceId, isSecretNamespace: secret } = namespace;
  return useMutation({
    mutationFn: async ({ key, value, options }: PutEntryInput): Promise<Written> => {
      const { entry } = await client.putEntry(namespaceId, key, value, options);
      return { keyPath: entry.keyPath, version: entry.version, entry: secret ? null : entry };
    },
    gcTime: secret ? 0 : undefined,
    onSuccess: async ({ keyPath, entry }) => {
      if (entry) queryClient.setQueryData(entryKey(namespaceId, keyPath), entry);
      else await queryClient.invalidateQueries({ queryKey: secretKey(namespaceId, keyPath) });
      await queryClient.invalidateQueries({ queryKey: entryLevelsKey(namespaceId) });
    },
  });
}

/** Deletes one key or many (the bulk call, up to MAX_BULK_ITEMS a call). */
export function useDeleteEntries(namespaceId: string) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (keys: string[]) => {
      if (keys.length === 1) await client.deleteEntry(namespaceId, keys[0]!);
      else await client.bulkDelete(namespaceId, keys);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: entriesKey(namespaceId) }),
  });
}
