import type { Namespace } from '@kv-service/client';
import { Alert, Anchor, Breadcrumbs, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiErrorAlert } from '../api/api-error-alert';
import { Loading } from '../layout/loading';
import { SecretDetail } from '../secrets/secret-detail';
import { EntryEditor } from './entry-editor';
import { breadcrumbsOf, folderOf, keyOfEntryPath, namespacePathOf } from './entry-path';
import { useEntry, useNamespace } from './entry-queries';

/** `/namespaces/:namespaceId/entry/<key>`: one entry, its key read from the raw path (see entry-path.ts). */
export function EntryPage() {
  const { pathname } = useLocation();
  const key = keyOfEntryPath(pathname);
  return (
    <WithNamespace title={key ?? 'Entry'} folder={folderOf(key)}>
      {(namespace) =>
        key === null ? (
          <Alert color="red" title="Not an entry's address" role="alert">
            The address names no key.
          </Alert>
        ) : namespace.isSecretNamespace ? (
          <SecretDetail namespace={namespace} entryKey={key} />
        ) : (
          <PlainEntry namespace={namespace} entryKey={key} />
        )
      }
    </WithNamespace>
  );
}

/** `/namespaces/:namespaceId/new?prefix=a/b/`: a new entry, its key starting in that folder. */
export function NewEntryPage() {
  const [searchParams] = useSearchParams();
  const folder = folderOf(searchParams.get('prefix'));
  return (
    <WithNamespace title="New entry" folder={folder}>
      {(namespace) => <EntryEditor namespace={namespace} entry={null} folder={folder} />}
    </WithNamespace>
  );
}

function PlainEntry({ namespace, entryKey }: { namespace: Namespace; entryKey: string }) {
  const entry = useEntry(namespace.id, entryKey);
  if (entry.isPending) return <Loading what="the entry" />;
  // Read again after a change (a deletion, say) and failed: the form stays, with what it says of the change.
  if (entry.data === undefined) return <ApiErrorAlert error={entry.error} />;
  // A new form for another entry (or the same one saved, deleted and created again).
  return <EntryEditor key={entry.data.id} namespace={namespace} entry={entry.data} />;
}

function WithNamespace({ title, folder, children }: { title: string; folder: string; children: (namespace: Namespace) => ReactNode }) {
  const namespaceId = useParams().namespaceId!;
  const namespace = useNamespace(namespaceId);
  if (namespace.isPending) return <Loading what="the namespace" />;
  if (namespace.isError) return <ApiErrorAlert error={namespace.error} />;
  return (
    <Stack>
      <nav aria-label="Folders">
        <Breadcrumbs separatorMargin={4}>
          {breadcrumbsOf(folder, namespace.data.name).map((crumb) => (
            <Anchor key={crumb.folder} component={Link} to={namespacePathOf(namespaceId, crumb.folder)} size="sm">
              {crumb.label}
            </Anchor>
          ))}
        </Breadcrumbs>
      </nav>
      <Title order={2} style={{ overflowWrap: 'anywhere' }}>
        {title}
      </Title>
      {children(namespace.data)}
    </Stack>
  );
}
