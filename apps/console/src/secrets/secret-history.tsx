import type { SecretVersion } from '@kv-service/client';
import { Button, Group, Modal, Stack, Table, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { Loading } from '../layout/loading';
import { ApiErrorAlert } from '../api/api-error-alert';
import { CursorPager, useCursorPages } from '../layout/cursor-pager';
import { useRollbackSecret, useSecretVersions } from './secret-queries';
import classes from './secret-history.module.css';
import { SecretValuePanel } from './secret-value-panel';

interface SecretHistoryProps {
  namespaceId: string;
  entryKey: string;
  currentVersion: number | undefined;
  /** `kv-secret:versions`: an old version's value may be read. */
  mayReadVersions: boolean;
  /** `kv-secret:rotate`: a version may be rolled back to. */
  mayRollBack: boolean;
  onRolledBack: (version: number, from: number) => void;
}

const changeText = (version: SecretVersion) =>
  version.change === 'ROLLBACK' && version.restoredFrom !== null ? `ROLLBACK to ${version.restoredFrom}` : version.change;

/** The secret's versions, newest first: who, why and when; an old one's value, and a rollback to it. */
export function SecretHistory({ namespaceId, entryKey, currentVersion, mayReadVersions, mayRollBack, onRolledBack }: SecretHistoryProps) {
  const pages = useCursorPages(entryKey);
  const page = useSecretVersions(namespaceId, entryKey, pages.cursor);
  const [reading, setReading] = useState<number | null>(null);
  const [rollingBack, setRollingBack] = useState<number | null>(null);

  return (
    <Stack>
      {page.isPending ? (
        <Loading what="the history" />
      ) : page.isError ? (
        <ApiErrorAlert error={page.error} />
      ) : (
        // Focusable, so that the keyboard scrolls it on a narrow screen even when no row has a button (axe's
        // scrollable-region-focusable).
        <div className={classes.scroll} tabIndex={0} role="region" aria-label="History">
          <Table striped aria-label="Versions" miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((version) => {
                const old = version.version !== currentVersion;
                return (
                  <Table.Tr key={version.version}>
                    <Table.Td>
                      {version.version}
                      {!old && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          (current)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{changeText(version)}</Table.Td>
                    <Table.Td>{version.actorId}</Table.Td>
                    <Table.Td>{version.reason ?? '—'}</Table.Td>
                    <Table.Td>{new Date(version.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {old && mayReadVersions && (
                          <Button
                            size="xs"
                            variant="subtle"
                            onClick={() => setReading(version.version)}
                            aria-label={`Read version ${version.version}`}
                          >
                            Read
                          </Button>
                        )}
                        {old && mayRollBack && (
                          <Button
                            size="xs"
                            variant="subtle"
                            onClick={() => setRollingBack(version.version)}
                            aria-label={`Roll back to version ${version.version}`}
                          >
                            Roll back
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <CursorPager pages={pages} nextCursor={page.data?.nextCursor ?? null} busy={page.isFetching} label="History pages" />
      <Modal opened={reading !== null} onClose={() => setReading(null)} title={`Version ${reading ?? ''}`}>
        {reading !== null && <SecretValuePanel namespaceId={namespaceId} entryKey={entryKey} version={reading} />}
      </Modal>
      <RollbackModal
        namespaceId={namespaceId}
        entryKey={entryKey}
        version={rollingBack}
        currentVersion={currentVersion}
        onClose={() => setRollingBack(null)}
        onRolledBack={onRolledBack}
      />
    </Stack>
  );
}

interface RollbackModalProps {
  namespaceId: string;
  entryKey: string;
  version: number | null;
  currentVersion: number | undefined;
  onClose: () => void;
  onRolledBack: (version: number, from: number) => void;
}

/** A rollback, confirmed, with its reason (required: the history says why the value went back). */
function RollbackModal({ namespaceId, entryKey, version, currentVersion, onClose, onRolledBack }: RollbackModalProps) {
  const rollback = useRollbackSecret(namespaceId, entryKey);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const close = () => {
    setReason('');
    setMissing(false);
    rollback.reset();
    onClose();
  };

  return (
    <Modal opened={version !== null} onClose={close} title={`Roll back to version ${version ?? ''}`}>
      {version !== null && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) return setMissing(true);
            rollback.mutate(
              { version, reason: reason.trim() },
              {
                onSuccess: (newVersion) => {
                  onRolledBack(newVersion, version);
                  close();
                },
              },
            );
          }}
        >
          <Stack>
            <Text size="sm">
              This writes a new version{currentVersion === undefined ? '' : ` (${currentVersion + 1})`} with the value of version {version}.
              The history keeps every version.
            </Text>
            <Textarea
              label="Reason"
              required
              autosize
              minRows={2}
              maxLength={512}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
                setMissing(false);
              }}
              error={missing ? 'Say why the value goes back' : undefined}
              data-autofocus
            />
            {rollback.error && <ApiErrorAlert error={rollback.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={rollback.isPending}>
                Roll back
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
