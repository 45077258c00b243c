import type { NamespaceInput, NamespacePage } from '@kv-service/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { entriesKey, namespaceKey, namespacesKey, secretKey } from '../api/query-keys';
import { useSession } from '../auth/session-provider';

export const NAMESPACES_PAGE_SIZE = 20;

/** One page of namespaces: the API filters by application; the page before stays shown while the next loads. */
export function useNamespacePage(applicationId: string, cursor: string | undefined) {
  const { client } = useSession();
  return useQuery<NamespacePage>({
    queryKey: [...namespacesKey, { applicationId, cursor }],
    queryFn: () => client.listNamespaces({ limit: NAMESPACES_PAGE_SIZE, cursor, applicationId: applicationId || undefined }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateNamespace() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NamespaceInput) => client.createNamespace(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: namespacesKey }),
  });
}

export function useDeleteNamespace() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (namespaceId: string) => client.deleteNamespace(namespaceId),
    onSuccess: (_, namespaceId) => {
      // Nothing read of it holds any more: opened again, its screens read again (and say it is gone).
      for (const queryKey of [namespaceKey(namespaceId), entriesKey(namespaceId), secretKey(namespaceId)])
        queryClient.removeQueries({ queryKey });
      return queryClient.invalidateQueries({ queryKey: namespacesKey });
    },
  });
}

/** Replaces the namespace's name, description, default TTL and version cap (what the API's PUT takes). */
export function useUpdateNamespace() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ namespaceId, input }: { namespaceId: string; input: NamespaceInput }) => client.updateNamespace(namespaceId, input),
    onSuccess: (namespace) => {
      queryClient.setQueryData(namespaceKey(namespace.id), namespace);
      return queryClient.invalidateQueries({ queryKey: namespacesKey });
    },
  });
}
