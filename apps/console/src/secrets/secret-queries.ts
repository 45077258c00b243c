import type { EntryKey, KvClient, RotateOptions, SecretVersionPage } from '@kv-service/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { secretKey } from '../api/query-keys';
import { useSession } from '../auth/session-provider';
import { rotationOutcomeOf, secretText, type RotationForm } from './secret-value';

export const VERSIONS_PAGE_SIZE = 20;

/**
 * The secret's state (type, version, times) from a keys-only listing: one LIST record, no read of the value.
 * Its key sorts first under itself as a prefix, so a page of one holds it when it exists (`null` when not).
 */
export async function secretStateOf(client: KvClient, namespaceId: string, key: string): Promise<EntryKey | null> {
  const page = await client.listEntryKeys(namespaceId, { prefix: key, limit: 1 });
  return page.items.find((item) => item.keyPath === key) ?? null;
}

export function useSecretState(namespaceId: string, key: string) {
  const { client } = useSession();
  return useQuery<EntryKey | null>({
    queryKey: [...secretKey(namespaceId, key), 'state'],
    queryFn: () => secretStateOf(client, namespaceId, key),
  });
}

/** One page of the secret's history, newest first, without values. */
export function useSecretVersions(namespaceId: string, key: string, cursor: string | undefined) {
  const { client } = useSession();
  return useQuery<SecretVersionPage>({
    queryKey: [...secretKey(namespaceId, key), 'versions', cursor],
    queryFn: () => client.listVersions(namespaceId, key, { limit: VERSIONS_PAGE_SIZE, cursor }),
    placeholderData: keepPreviousData,
  });
}

/**
 * A read of the value (an audited READ), the current one or an old `version`, as text. A mutation, not a query:
 * the value is never kept in the query cache, and its mutation is reset as soon as the screen has it.
 */
export function useReadSecretValue(namespaceId: string, key: string, version?: number) {
  const { client } = useSession();
  return useMutation({
    mutationFn: async () => secretText(await client.getEntry(namespaceId, key, { version })),
    gcTime: 0,
  });
}

/** A rotation; its outcome holds a generated value only, to be shown once (reset the mutation to forget it). */
export function useRotateSecret(namespaceId: string, key: string) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ source, options }: { source: RotationForm['source']; options: RotateOptions }) =>
      rotationOutcomeOf(source, await client.rotateSecret(namespaceId, key, options)),
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: secretKey(namespaceId, key) }),
  });
}

/** A rollback: a new version with `version`'s value; only its number is kept. */
export function useRollbackSecret(namespaceId: string, key: string) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, reason }: { version: number; reason: string }) =>
      (await client.rollbackSecret(namespaceId, key, version, reason)).version,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: secretKey(namespaceId, key) }),
  });
}
