import { KvApiError, KvNotFoundError, type ChangeEvent, type Entry, type Namespace } from '@kv-service/client';
import { Alert, Button, Group, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiErrorAlert } from '../api/api-error-alert';
import { mayDo } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { secretStateOf } from '../secrets/secret-queries';
import { ConflictModal, type Conflict } from './conflict-modal';
import { DeleteEntriesModal } from './delete-entries-modal';
import { entryForm, entryWriteOf, newEntryForm, withValueType, type EntryFormErrors, type EntryFormState } from './entry-form-state';
import { entryPathOf, folderOf, namespacePathOf } from './entry-path';
import { usePutEntry } from './entry-queries';
import { LiveBadge } from './live-badge';
import { ttlChoicesFor, type TtlChoice } from './ttl-choices';
import { useNamespaceChanges } from './use-namespace-changes';
import { VALUE_TYPES } from './value-codec';
import { ValueEditor } from './value-editor';

/** What the watch said of this key since the form was opened: a later version, or its deletion (version null). */
type Underneath = { version: number | null; actor: string } | null;

/**
 * Creates (`entry` null) or edits an entry. Every save is conditional on the version the form was opened with (0 for
 * a new key): a save that finds another answers 409 VERSION_CONFLICT, and both versions are shown to choose from.
 */
export function EntryEditor({ namespace, entry, folder = '' }: { namespace: Namespace; entry: Entry | null; folder?: string }) {
  const { client, principal } = useSession();
  const navigate = useNavigate();
  const put = usePutEntry(namespace);
  const [form, setForm] = useState<EntryFormState>(() => (entry ? entryForm(entry, Date.now()) : newEntryForm(folder)));
  const [openedVersion, setOpenedVersion] = useState(entry?.version ?? 0);
  const [errors, setErrors] = useState<EntryFormErrors>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [conflictReadError, setConflictReadError] = useState<unknown>(null);
  const [underneath, setUnderneath] = useState<Underneath>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  const creating = entry === null;
  // Only a new key reaches this form in a secret namespace (a secret's own page is SecretDetail).
  const secret = namespace.isSecretNamespace;
  const mayWrite = mayDo(principal, 'kv-entry:write', namespace.id);
  const mayDelete = mayDo(principal, 'kv-entry:delete', namespace.id);
  const key = creating ? form.key.trim() : entry.keyPath;
  // The version held, for the watch's listener (which outlives a render).
  const held = useRef(openedVersion);
  useEffect(() => {
    held.current = openedVersion;
  }, [openedVersion]);

  const live = useNamespaceChanges(namespace.id, (change: ChangeEvent) => {
    if (change.keyPath !== key || change.type === 'namespace_updated') return;
    const gone = change.type === 'deleted' || change.type === 'expired';
    // This form's own save comes back through the watch too: only a later version than the one held is news.
    if (gone || (change.version !== null && change.version > held.current))
      setUnderneath({ version: gone ? null : change.version, actor: change.actor });
  });

  // The entry read again (after a change, or refreshed from the cache on opening) may be newer than the form, too.
  const changed: Underneath =
    underneath ?? (entry && !put.isPending && entry.version > openedVersion ? { version: entry.version, actor: 'Someone' } : null);

  const takeEntry = (current: Entry) => {
    setForm(entryForm(current, Date.now()));
    setOpenedVersion(current.version);
    setUnderneath(null);
    setErrors({});
  };

  const save = (expectedVersion: number) => {
    const result = entryWriteOf(form);
    if ('errors' in result) return setErrors(result.errors);
    setErrors({});
    setSaved(null);
    setConflictReadError(null);
    const write = result.write;
    put.mutate(
      { key: write.key, value: write.value, options: { ...write.options, expectedVersion } },
      {
        onSuccess: (written) => {
          setConflict(null);
          setOpenedVersion(written.version);
          setUnderneath((news) => (news && news.version !== null && news.version <= written.version ? null : news));
          setSaved(written.version);
          if (creating) void navigate(entryPathOf(namespace.id, written.keyPath), { replace: true });
        },
        onError: (error) => {
          if (!(error instanceof KvApiError) || error.code !== 'VERSION_CONFLICT') return;
          const showConflict = (found: Conflict) => {
            put.reset();
            setConflict(found);
          };
          const sides = { mine: write, openedVersion: expectedVersion };
          // A secret's state is listed, its value not read; a plain entry's current version is read to show both (a
          // deleted entry is none).
          const found: Promise<Conflict> = secret
            ? secretStateOf(client, namespace.id, write.key).then((current) => ({ ...sides, secret: true, current }))
            : client
                .getEntry(namespace.id, write.key)
                .catch((reason: unknown) => (reason instanceof KvNotFoundError ? null : Promise.reject(reason)))
                .then((current) => ({ ...sides, secret: false, current }));
          void found.then(showConflict, (reason: unknown) => setConflictReadError(reason));
        },
      },
    );
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm">{creating ? 'New entry' : `Version ${openedVersion} · updated ${new Date(entry.updatedAt).toLocaleString()}`}</Text>
        <LiveBadge live={live} />
      </Group>
      {!mayWrite && (
        <Alert color="yellow" title="Read only">
          Your token does not allow writing entries in this namespace (kv-entry:write){creating && ': the gateway will refuse a save'}.
        </Alert>
      )}
      {changed && (
        <Alert color="orange" title="Changed since you opened it" role="status">
          {changed.version === null
            ? `${changed.actor} deleted it (or it expired). Saving asks what to do.`
            : `${changed.actor} saved version ${changed.version}; you opened version ${openedVersion}. Saving shows both.`}
        </Alert>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save(openedVersion);
        }}
      >
        <Stack>
          {creating && (
            <TextInput
              label="Key"
              description="Folders are separated by /"
              value={form.key}
              onChange={(event) => setForm({ ...form, key: event.currentTarget.value })}
              error={errors.key}
              data-autofocus
            />
          )}
          <NativeSelect
            label="Type"
            data={VALUE_TYPES.map((type) => ({ value: type.value, label: type.label }))}
            value={form.valueType}
            onChange={(event) => setForm(withValueType(form, event.currentTarget.value as EntryFormState['valueType']))}
            disabled={!mayWrite && !creating}
          />
          <ValueEditor
            valueType={form.valueType}
            draft={form.draft}
            onChange={(draft) => setForm({ ...form, draft })}
            error={errors.value ?? null}
            readOnly={!mayWrite && !creating}
            masked={secret}
            fileName={key.slice(key.lastIndexOf('/') + 1) || 'value.bin'}
          />
          {(mayWrite || creating) && (
            <Group align="flex-start" wrap="wrap">
              <NativeSelect
                label="TTL"
                description={
                  namespace.defaultTtlSeconds === null
                    ? 'None: kept until deleted'
                    : `None: the namespace's ${namespace.defaultTtlSeconds} s`
                }
                data={ttlChoicesFor(form.ttl).map((choice) => ({ value: choice.value, label: choice.label }))}
                value={form.ttl.choice}
                onChange={(event) => setForm({ ...form, ttl: { ...form.ttl, choice: event.currentTarget.value as TtlChoice } })}
                error={form.ttl.choice === 'custom' ? undefined : errors.ttl}
              />
              {form.ttl.choice === 'custom' && (
                <NumberInput
                  label="TTL (seconds)"
                  min={1}
                  allowDecimal={false}
                  value={form.ttl.customSeconds}
                  onChange={(customSeconds) => setForm({ ...form, ttl: { ...form.ttl, customSeconds } })}
                  error={errors.ttl}
                />
              )}
            </Group>
          )}
          {!creating && entry.expiresAt !== null && (
            <Text size="xs" c="dimmed">
              Expires {new Date(entry.expiresAt).toLocaleString()}
            </Text>
          )}
          <Textarea
            label="Metadata (JSON object)"
            minRows={2}
            ff="monospace"
            value={form.metadataText}
            onChange={(event) => setForm({ ...form, metadataText: event.currentTarget.value })}
            error={errors.metadata}
            readOnly={!mayWrite && !creating}
            spellCheck={false}
          />
          {put.error && <ApiErrorAlert error={put.error} />}
          {conflictReadError !== null && <ApiErrorAlert error={conflictReadError} />}
          {saved !== null && (
            <Text size="sm" role="status">
              Saved version {saved}.
            </Text>
          )}
          <Group justify="space-between">
            <Group gap="xs">
              {(mayWrite || creating) && (
                <Button type="submit" loading={put.isPending}>
                  {creating ? 'Create' : 'Save'}
                </Button>
              )}
              <Button variant="default" onClick={() => void navigate(namespacePathOf(namespace.id, folderOf(key)))}>
                Back
              </Button>
            </Group>
            {!creating && mayDelete && (
              <Button color="red" variant="light" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      <ConflictModal
        conflict={conflict}
        busy={put.isPending}
        onOverwrite={() => conflict && save(conflict.current?.version ?? 0)}
        onTakeTheirs={() => {
          if (conflict?.current && !conflict.secret) takeEntry(conflict.current);
          else void navigate(namespacePathOf(namespace.id, folderOf(key)));
          setConflict(null);
        }}
        onClose={() => setConflict(null)}
      />
      {!creating && (
        <DeleteEntriesModal
          namespaceId={namespace.id}
          keys={deleting ? [entry.keyPath] : []}
          onClose={() => setDeleting(false)}
          onDeleted={() => void navigate(namespacePathOf(namespace.id, folderOf(entry.keyPath)))}
        />
      )}
    </Stack>
  );
}
