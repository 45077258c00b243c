import { AUDIT_ACTIONS, type AuditAction, type AuditPage as AuditTrailPage } from '@kv-service/client';
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { Loading } from '../layout/loading';
import { ApiErrorAlert } from '../api/api-error-alert';
import { grantedNamespaces, mayDo, mayDoSomewhere } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';
import { scrollRegion } from '../layout/scroll-region';
import { auditFiltersFor, auditQueryOf, type AuditFilterValues } from './audit-filters';
import { ChainState } from './chain-state';
import classes from './audit-page.module.css';

const PAGE_SIZE = 50;

const OUTCOMES = [
  { value: 'any', label: 'Any outcome' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
];

/** The audit trail, newest first, with the API's filters, page by page, and the chain's verification state. */
export function AuditPage() {
  const { client, principal } = useSession();
  // A grant of some namespaces only: the gateway answers for one of them at a time (a query of all is a 403). With
  // no grant at all, the query goes as it is, for the gateway's 403 to say so.
  const readable = mayDoSomewhere(principal, 'kv-audit:read') ? grantedNamespaces(principal, 'kv-audit:read') : null;
  const [filters, setFilters] = useState<AuditFilterValues>(() => auditFiltersFor(readable));
  // Typed filters wait for a pause, so that each keystroke is no call (and no AUDIT_READ record).
  const [settled] = useDebouncedValue(filters, 300);
  const checked = auditQueryOf(settled, readable);
  const shownErrors = auditQueryOf(filters, readable).errors ?? {};
  const pages = useCursorPages(JSON.stringify(checked.query));
  const page = useQuery<AuditTrailPage>({
    queryKey: ['audit', { query: checked.query, cursor: pages.cursor }],
    queryFn: () => client.listAudit({ ...checked.query, limit: PAGE_SIZE, cursor: pages.cursor }),
    enabled: checked.query !== null,
    placeholderData: keepPreviousData,
  });
  const set = <K extends keyof AuditFilterValues>(name: K, value: AuditFilterValues[K]) =>
    setFilters((current) => ({ ...current, [name]: value }));
  const text = (name: 'namespaceId' | 'keyPath' | 'userId' | 'from' | 'to') => ({
    value: filters[name],
    error: name === 'namespaceId' || name === 'from' || name === 'to' ? shownErrors[name] : undefined,
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(name, event.currentTarget.value),
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Title order={2}>Audit trail</Title>
        {/* Verifying walks the whole chain: only a token of every application and namespace may. */}
        {mayDo(principal, 'kv-audit:read') && principal.applications.includes('*') && <ChainState />}
      </Group>
      <form className={classes.filters} aria-label="Audit filters" onSubmit={(event) => event.preventDefault()}>
        <Select
          label="Action"
          placeholder="Every action"
          data={AUDIT_ACTIONS}
          value={filters.action}
          onChange={(value) => set('action', value as AuditAction | null)}
          clearable
        />
        <Select
          label="Outcome"
          data={OUTCOMES}
          value={filters.outcome}
          onChange={(value) => set('outcome', (value ?? 'any') as AuditFilterValues['outcome'])}
          allowDeselect={false}
        />
        {readable === null ? (
          <TextInput label="Namespace id" placeholder="Every namespace" autoComplete="off" {...text('namespaceId')} />
        ) : (
          <Select
            label="Namespace id"
            description="Your token reads the audit trail of these namespaces only"
            data={readable}
            value={filters.namespaceId || null}
            onChange={(value) => set('namespaceId', value ?? '')}
            error={shownErrors.namespaceId}
            allowDeselect={false}
            required
          />
        )}
        <TextInput label="Key" description="Exactly this key" placeholder="Every key" autoComplete="off" {...text('keyPath')} />
        <TextInput label="Principal" placeholder="Everyone" autoComplete="off" {...text('userId')} />
        <TextInput label="From" type="datetime-local" {...text('from')} />
        <TextInput label="To" description="Before this time" type="datetime-local" {...text('to')} />
        <Button variant="default" onClick={() => setFilters(auditFiltersFor(readable))} className={classes.clear}>
          Clear filters
        </Button>
      </form>
      {checked.query === null ? (
        <Text c="dimmed" role="status">
          Correct the filters to see records.
        </Text>
      ) : page.isPending ? (
        <Loading what="the audit trail" />
      ) : page.isError ? (
        <ApiErrorAlert error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Text c="dimmed" role="status">
          No records.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={880} scrollAreaProps={scrollRegion('Audit records')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
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
                  <Table.Td>{record.sequence}</Table.Td>
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
