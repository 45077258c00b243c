import type { Namespace } from '@kv-service/client';
import { Alert, Group, Loader, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useParams } from 'react-router';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';
import { keyOfEntryPath } from '../entries/entry-path';
import { SecretDetail } from './secret-detail';

/**
 * `/namespaces/:namespaceId/entry/*` until the namespace page's own entry route replaces it: a secret namespace's
 * entry as SecretDetail, so that a secret opens by its address.
 */
export function SecretEntryRoute() {
  const { client } = useSession();
  const { namespaceId = '' } = useParams();
  const entryKey = keyOfEntryPath(useLocation().pathname);
  const namespace = useQuery<Namespace>({
    queryKey: ['namespaces', 'one', namespaceId],
    queryFn: () => client.getNamespace(namespaceId),
  });

  if (entryKey === null) return <Alert color="red" title="Not an entry's address" role="alert" />;
  if (namespace.isPending)
    return (
      <Group>
        <Loader size="sm" aria-label="Loading the namespace" />
        <Text size="sm">Loading the namespace…</Text>
      </Group>
    );
  if (namespace.isError) return <ApiErrorAlert error={namespace.error} />;
  if (!namespace.data.isSecretNamespace) return <Text role="status">{entryKey} is a plain entry: the namespace page shows it.</Text>;
  return <SecretDetail namespace={namespace.data} entryKey={entryKey} />;
}
