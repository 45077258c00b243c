import { AUDIT_ACTIONS, type AuditAction, type AuditPage as AuditTrailPage } from '@kv-service/client';
import { Badge, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';

const PAGE_SIZE = 50;

/** The audit trail, newest first, by action. */
export function AuditPage() {
  const { client } = useSession();
  const [action, setAction] = useState<AuditAction | null>(null);
  const pages = useCursorPages(action ?? '');
  const page = useQuery<AuditTrailPage>({
    queryKey: ['audit', { action, cursor: pages.cursor }],
    queryFn: () => client.listAudit({ limit: PAGE_SIZE, cursor: pages.cursor, action: action ?? undefined }),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <Title order={2}>Audit trail</Title>
      <Select
        label="Action"
        placeholder="Every action"
        data={AUDIT_ACTIONS}
        value={action}
        onChange={(value) => setAction(value as AuditAction | null)}
        clearable
        maw={280}
      />
      {page.isPending ? (
        <Group>
          <Loader size="sm" aria-label="Loading the audit trail" />
          <Text size="sm">Loading the audit trail…</Text>
        </Group>
      ) : page.isError ? (
        <ApiErrorAlert error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Text c="dimmed" role="status">
          No records.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Namespace</Table.Th>
                <Table.Th>Key</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((record) => (
                <Table.Tr key={record.id}>
                  <Table.Td>{new Date(record.occurredAt).toLocaleString()}</Table.Td>
                  <Table.Td>{record.action}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={record.success ? 'green' : 'red'}>
                      {record.success ? 'Succeeded' : (record.errorCode ?? 'Failed')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{record.userId}</Table.Td>
                  <Table.Td>{record.namespaceId ?? '—'}</Table.Td>
                  <Table.Td>{record.keyPath ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pages={pages} nextCursor={page.data?.nextCursor ?? null} busy={page.isFetching} label="Audit pages" />
    </Stack>
  );
}
