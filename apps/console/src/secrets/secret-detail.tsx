import type { Namespace } from '@kv-service/client';
import { Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';

/**
 * A secret entry, masked: its state from the keys-only listing, which reads (decrypts) no value. The secrets screen
 * (reveal, copy, rotate, history, rollback) replaces this minimal one.
 */
export function SecretDetail({ namespace, entryKey }: { namespace: Namespace; entryKey: string }) {
  const { client } = useSession();
  const state = useQuery({
    queryKey: ['entries', namespace.id, 'secret-state', entryKey],
    queryFn: async () =>
      (await client.listEntryKeys(namespace.id, { prefix: entryKey, limit: 1 })).items.find((item) => item.keyPath === entryKey) ?? null,
  });
  if (state.isPending)
    return (
      <Group>
        <Loader size="sm" aria-label="Loading the secret" />
        <Text size="sm">Loading the secret…</Text>
      </Group>
    );
  if (state.isError) return <ApiErrorAlert error={state.error} />;
  if (state.data === null)
    return (
      <Text role="status" c="dimmed">
        No such secret.
      </Text>
    );
  const secret = state.data;
  return (
    <Stack>
      <Table variant="vertical" withTableBorder>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Td>{secret.keyPath}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Value</Table.Th>
            <Table.Td aria-label="Value, hidden">••••••</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Type</Table.Th>
            <Table.Td>{secret.valueType}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Td>{secret.version}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Updated</Table.Th>
            <Table.Td>{new Date(secret.updatedAt).toLocaleString()}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
