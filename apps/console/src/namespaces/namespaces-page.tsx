import type { Namespace } from '@kv-service/client';
import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../api/api-error-alert';
import { namespacePathOf } from '../entries/entry-path';
import { mayDo } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';
import { CreateNamespaceModal } from './create-namespace-modal';
import { DeleteNamespaceModal } from './delete-namespace-modal';
import { useNamespacePage } from './namespace-queries';

export function NamespacesPage() {
  const [application, setApplication] = useState('');
  const [name, setName] = useState('');
  const [applicationId] = useDebouncedValue(application.trim(), 300);
  const pages = useCursorPages(applicationId);
  const page = useNamespacePage(applicationId, pages.cursor);
  const [creating, createModal] = useDisclosure(false);
  const [deleting, setDeleting] = useState<Namespace | null>(null);
  const { principal } = useSession();

  const nameFilter = name.trim().toLowerCase();
  const items = (page.data?.items ?? []).filter((namespace) => namespace.name.toLowerCase().includes(nameFilter));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Namespaces</Title>
        {mayDo(principal, 'kv-namespace:write') && <Button onClick={createModal.open}>Create</Button>}
      </Group>
      <Group grow preventGrowOverflow={false} wrap="wrap" align="flex-end">
        <TextInput
          label="Application"
          placeholder="All applications"
          value={application}
          onChange={(event) => setApplication(event.currentTarget.value)}
        />
        <TextInput
          label="Name contains"
          description="Within the page shown"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
        />
      </Group>
      {page.isPending ? (
        <Group>
          <Loader size="sm" aria-label="Loading namespaces" />
          <Text size="sm">Loading namespaces…</Text>
        </Group>
      ) : page.isError ? (
        <ApiErrorAlert error={page.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" role="status">
          {page.data.items.length === 0 ? 'No namespaces yet.' : 'No namespace on this page has that name.'}
        </Text>
      ) : (
        <NamespaceTable
          namespaces={items}
          mayDelete={(namespace) => mayDo(principal, 'kv-namespace:delete', namespace.id)}
          onDelete={setDeleting}
        />
      )}
      <CursorPager pages={pages} nextCursor={page.data?.nextCursor ?? null} busy={page.isFetching} label="Namespace pages" />
      <CreateNamespaceModal opened={creating} onClose={createModal.close} />
      <DeleteNamespaceModal namespace={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

interface NamespaceTableProps {
  namespaces: Namespace[];
  mayDelete: (namespace: Namespace) => boolean;
  onDelete: (namespace: Namespace) => void;
}

function NamespaceTable({ namespaces, mayDelete, onDelete }: NamespaceTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Application</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Default TTL</Table.Th>
            <Table.Th>Version cap</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {namespaces.map((namespace) => (
            <Table.Tr key={namespace.id}>
              <Table.Td>
                <Anchor component={Link} to={namespacePathOf(namespace.id)} fw={500}>
                  {namespace.name}
                </Anchor>
                {namespace.description && (
                  <Text size="xs" c="dimmed">
                    {namespace.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{namespace.applicationId}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={namespace.isSecretNamespace ? 'grape' : 'gray'}>
                  {namespace.isSecretNamespace ? 'Secret' : 'Plain'}
                </Badge>
              </Table.Td>
              <Table.Td>{namespace.defaultTtlSeconds === null ? '—' : `${namespace.defaultTtlSeconds} s`}</Table.Td>
              <Table.Td>{namespace.maxSecretVersions ?? '—'}</Table.Td>
              <Table.Td>{new Date(namespace.createdAt).toLocaleString()}</Table.Td>
              <Table.Td>
                {mayDelete(namespace) && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onDelete(namespace)}
                    aria-label={`Delete ${namespace.name}`}
                  >
                    Delete
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
