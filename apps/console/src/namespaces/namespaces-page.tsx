import type { Namespace } from '@kv-service/client';
import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { Loading } from '../layout/loading';
import { ApiErrorAlert } from '../api/api-error-alert';
import { namespacePathOf } from '../entries/entry-path';
import { mayDo } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';
import { ExportDialog } from '../transfer/export-dialog';
import { ImportDialog } from '../transfer/import-dialog';
import { CreateNamespaceModal } from './create-namespace-modal';
import { DeleteNamespaceModal } from './delete-namespace-modal';
import { EditNamespaceModal } from './edit-namespace-modal';
import { useNamespacePage } from './namespace-queries';

/** A row's actions, each offered only with the grants it needs in that namespace. */
type RowAction = 'edit' | 'import' | 'export' | 'delete';

export function NamespacesPage() {
  const [application, setApplication] = useState('');
  const [name, setName] = useState('');
  const [applicationId] = useDebouncedValue(application.trim(), 300);
  const pages = useCursorPages(applicationId);
  const page = useNamespacePage(applicationId, pages.cursor);
  const [creating, createModal] = useDisclosure(false);
  const [acting, setActing] = useState<{ action: RowAction; namespace: Namespace } | null>(null);
  const { principal } = useSession();
  const actingOn = (action: RowAction) => (acting?.action === action ? acting.namespace : null);
  const stopActing = () => setActing(null);
  const mayAct = (action: RowAction, namespace: Namespace): boolean => {
    const may = (permission: Parameters<typeof mayDo>[1]) => mayDo(principal, permission, namespace.id);
    switch (action) {
      case 'edit':
        return may('kv-namespace:write');
      case 'import':
        // The plan reads the current values before anything is written.
        return may('kv-entry:write') && may('kv-entry:read');
      case 'export':
        return may('kv-entry:read');
      case 'delete':
        return may('kv-namespace:delete');
    }
  };

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
        <Loading what="namespaces" />
      ) : page.isError ? (
        <ApiErrorAlert error={page.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" role="status">
          {page.data.items.length === 0 ? 'No namespaces yet.' : 'No namespace on this page has that name.'}
        </Text>
      ) : (
        <NamespaceTable namespaces={items} mayAct={mayAct} onAct={(action, namespace) => setActing({ action, namespace })} />
      )}
      <CursorPager pages={pages} nextCursor={page.data?.nextCursor ?? null} busy={page.isFetching} label="Namespace pages" />
      <CreateNamespaceModal opened={creating} onClose={createModal.close} />
      <EditNamespaceModal namespace={actingOn('edit')} onClose={stopActing} />
      <ImportDialog namespace={actingOn('import')} onClose={stopActing} />
      <ExportDialog namespace={actingOn('export')} onClose={stopActing} />
      <DeleteNamespaceModal namespace={actingOn('delete')} onClose={stopActing} />
    </Stack>
  );
}

interface NamespaceTableProps {
  namespaces: Namespace[];
  mayAct: (action: RowAction, namespace: Namespace) => boolean;
  onAct: (action: RowAction, namespace: Namespace) => void;
}

const ROW_ACTIONS: Array<{ action: RowAction; label: string; color?: string }> = [
  { action: 'edit', label: 'Edit' },
  { action: 'import', label: 'Import' },
  { action: 'export', label: 'Export' },
  { action: 'delete', label: 'Delete', color: 'red' },
];

function NamespaceTable({ namespaces, mayAct, onAct }: NamespaceTableProps) {
  return (
    <Table.ScrollContainer minWidth={820}>
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
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  {ROW_ACTIONS.filter(({ action }) => mayAct(action, namespace)).map(({ action, label, color }) => (
                    <Button
                      key={action}
                      size="xs"
                      variant="subtle"
                      color={color}
                      onClick={() => onAct(action, namespace)}
                      aria-label={`${label} ${namespace.name}`}
                    >
                      {label}
                    </Button>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
