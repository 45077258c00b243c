import { levelItemsOf, type EntryKey, type LevelItem } from '@kv-service/client';
import { Anchor, Breadcrumbs, Button, Checkbox, Group, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Loading } from '../layout/loading';
import { ApiErrorAlert } from '../api/api-error-alert';
import { mayDo } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';
import { DeleteEntriesModal } from './delete-entries-modal';
import { breadcrumbsOf, entryPathOf, folderOf, nameInFolder, namespacePathOf } from './entry-path';
import { useEntryLevel, useNamespace } from './entry-queries';
import { LiveBadge } from './live-badge';
import { NamespaceHeader } from './namespace-header';
import { useNamespaceChanges } from './use-namespace-changes';

/** `/namespaces/:namespaceId?prefix=a/b/`: one folder of the namespace's keys, following changes as they happen. */
export function NamespacePage() {
  const namespaceId = useParams().namespaceId!;
  const [searchParams] = useSearchParams();
  const folder = folderOf(searchParams.get('prefix'));
  const namespace = useNamespace(namespaceId);
  const live = useNamespaceChanges(namespaceId);

  if (namespace.isPending) return <Loading what="the namespace" />;
  if (namespace.isError) return <ApiErrorAlert error={namespace.error} />;
  return (
    <Stack>
      <NamespaceHeader namespace={namespace.data}>
        <LiveBadge live={live} />
      </NamespaceHeader>
      {/* A new folder starts with its own search, page and selection. */}
      <FolderView key={folder} namespaceId={namespaceId} namespaceName={namespace.data.name} folder={folder} />
    </Stack>
  );
}

function FolderView({ namespaceId, namespaceName, folder }: { namespaceId: string; namespaceName: string; folder: string }) {
  const { principal } = useSession();
  const [search, setSearch] = useState('');
  const [typed] = useDebouncedValue(search, 300);
  const prefix = folder + typed;
  const pages = useCursorPages(prefix);
  const level = useEntryLevel(namespaceId, prefix, pages.cursor);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [deleting, setDeleting] = useState<string[]>([]);
  const mayWrite = mayDo(principal, 'kv-entry:write', namespaceId);
  const mayDelete = mayDo(principal, 'kv-entry:delete', namespaceId);

  const rows = level.data ? levelItemsOf(level.data) : [];
  const keysShown = rows.flatMap((row) => (row.kind === 'key' ? [row.path] : []));
  // What is selected and still shown (a change from elsewhere may have taken a row away).
  const selection = keysShown.filter((key) => selected.has(key));
  const toggle = (key: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  return (
    <Stack>
      <nav aria-label="Folders">
        <Breadcrumbs separatorMargin={4}>
          {breadcrumbsOf(folder, namespaceName).map((crumb, index, all) =>
            index === all.length - 1 ? (
              <Text key={crumb.folder} size="sm" fw={600} aria-current="page">
                {crumb.label}
              </Text>
            ) : (
              <Anchor key={crumb.folder} component={Link} to={namespacePathOf(namespaceId, crumb.folder)} size="sm">
                {crumb.label}
              </Anchor>
            ),
          )}
        </Breadcrumbs>
      </nav>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <TextInput
          label="Keys starting with"
          description={folder ? `In ${folder}` : 'In the whole namespace'}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setSelected(new Set());
          }}
        />
        <Group gap="xs">
          {mayDelete && selection.length > 0 && (
            <Button color="red" variant="light" onClick={() => setDeleting(selection)}>
              Delete selected ({selection.length})
            </Button>
          )}
          {mayWrite && (
            <Button component={Link} to={`/namespaces/${encodeURIComponent(namespaceId)}/new?${new URLSearchParams({ prefix: folder })}`}>
              New entry
            </Button>
          )}
        </Group>
      </Group>
      {level.isPending ? (
        <Loading what="keys" />
      ) : level.isError ? (
        <ApiErrorAlert error={level.error} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" role="status">
          {prefix ? 'No key starts with that.' : 'No entries yet.'}
        </Text>
      ) : (
        <LevelTable
          namespaceId={namespaceId}
          folder={folder}
          rows={rows}
          selectable={mayDelete}
          selected={selected}
          onToggle={toggle}
          onSelectAll={(all) => setSelected(new Set(all ? keysShown : []))}
          onDelete={mayDelete ? (key) => setDeleting([key]) : undefined}
        />
      )}
      <CursorPager
        pages={{
          ...pages,
          next: (cursor) => {
            setSelected(new Set());
            pages.next(cursor);
          },
          previous: () => {
            setSelected(new Set());
            pages.previous();
          },
        }}
        nextCursor={level.data?.nextCursor ?? null}
        busy={level.isFetching}
        label="Key pages"
      />
      <DeleteEntriesModal
        namespaceId={namespaceId}
        keys={deleting}
        onClose={() => setDeleting([])}
        onDeleted={() => setSelected(new Set())}
      />
    </Stack>
  );
}

interface LevelTableProps {
  namespaceId: string;
  folder: string;
  rows: LevelItem[];
  selectable: boolean;
  selected: ReadonlySet<string>;
  onToggle: (key: string) => void;
  onSelectAll: (all: boolean) => void;
  onDelete?: (key: string) => void;
}

function LevelTable({ namespaceId, folder, rows, selectable, selected, onToggle, onSelectAll, onDelete }: LevelTableProps) {
  const keys = rows.filter((row) => row.kind === 'key');
  const selectedCount = keys.filter((row) => selected.has(row.path)).length;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {selectable && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Select every key shown"
                  checked={keys.length > 0 && selectedCount === keys.length}
                  indeterminate={selectedCount > 0 && selectedCount < keys.length}
                  disabled={keys.length === 0}
                  onChange={(event) => onSelectAll(event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <Table.Th>Key</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Metadata</Table.Th>
            <Table.Th>Updated</Table.Th>
            {onDelete && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) =>
            row.kind === 'folder' ? (
              <Table.Tr key={row.path}>
                {selectable && <Table.Td />}
                <Table.Td>
                  <Anchor component={Link} to={namespacePathOf(namespaceId, row.path)} fw={500}>
                    {nameInFolder(row.path, folder)}
                  </Anchor>
                </Table.Td>
                <Table.Td colSpan={5}>Folder</Table.Td>
                {onDelete && <Table.Td />}
              </Table.Tr>
            ) : (
              <KeyRow
                key={row.path}
                namespaceId={namespaceId}
                name={nameInFolder(row.path, folder)}
                entry={row.entry}
                selectable={selectable}
                selected={selected.has(row.path)}
                onToggle={() => onToggle(row.path)}
                onDelete={onDelete && (() => onDelete(row.path))}
              />
            ),
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface KeyRowProps {
  namespaceId: string;
  name: string;
  entry: EntryKey;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
  onDelete?: () => void;
}

function KeyRow({ namespaceId, name, entry, selectable, selected, onToggle, onDelete }: KeyRowProps) {
  return (
    <Table.Tr>
      {selectable && (
        <Table.Td>
          <Checkbox aria-label={`Select ${entry.keyPath}`} checked={selected} onChange={onToggle} />
        </Table.Td>
      )}
      <Table.Td>
        <Anchor component={Link} to={entryPathOf(namespaceId, entry.keyPath)} aria-label={entry.keyPath}>
          {name}
        </Anchor>
      </Table.Td>
      <Table.Td>{entry.valueType}</Table.Td>
      <Table.Td>{entry.version}</Table.Td>
      <Table.Td>{entry.expiresAt === null ? '—' : new Date(entry.expiresAt).toLocaleString()}</Table.Td>
      <Table.Td>
        {entry.metadata === null ? (
          '—'
        ) : (
          <Text size="xs" ff="monospace" lineClamp={2} maw={220}>
            {JSON.stringify(entry.metadata)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{new Date(entry.updatedAt).toLocaleString()}</Table.Td>
      {onDelete && (
        <Table.Td>
          <Button size="xs" variant="subtle" color="red" onClick={onDelete} aria-label={`Delete ${entry.keyPath}`}>
            Delete
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
