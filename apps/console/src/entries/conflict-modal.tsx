import type { Entry, EntryKey, ValueType } from '@kv-service/client';
import { Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { MASK } from '../secrets/secret-value';
import classes from './entries.module.css';
import type { EntryWrite } from './entry-form-state';
import { valueText } from './value-codec';

/**
 * A save that found another version than the form's. A secret's current value is not read (that would be an audited
 * READ of a value nobody asked to see): its state comes from a keys-only listing, and both values stay masked.
 */
export type Conflict = {
  /** What this form would have saved. */
  mine: EntryWrite;
  /** The version it was opened with. */
  openedVersion: number;
} &
  // The entry as it is now, or (a secret) its state without its value; null when it was deleted meanwhile.
  ({ secret: false; current: Entry | null } | { secret: true; current: EntryKey | null });

/** The save found another version than the one the form was opened with: both shown, and the person chooses. */
export function ConflictModal({
  conflict,
  busy,
  onOverwrite,
  onTakeTheirs,
  onClose,
}: {
  conflict: Conflict | null;
  busy: boolean;
  onOverwrite: () => void;
  onTakeTheirs: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={conflict !== null} onClose={onClose} title="Changed by someone else" size="xl">
      {conflict && (
        <Stack>
          <Text size="sm">
            You opened version {conflict.openedVersion || 'none (a new key)'};{' '}
            {conflict.current ? `it is now at version ${conflict.current.version}.` : 'it has been deleted since.'}{' '}
            {conflict.secret && conflict.current
              ? 'Its value is not read here (that would be an audited read): overwrite it with yours, or cancel.'
              : 'Which one should stay?'}
          </Text>
          <div className={classes.sides}>
            <Side
              title="Yours"
              valueType={conflict.mine.options.valueType ?? 'STRING'}
              value={conflict.secret ? MASK : valueText(conflict.mine.options.valueType ?? 'STRING', conflict.mine.value)}
              metadata={conflict.mine.options.metadata ?? null}
            />
            {conflict.current ? (
              <Side
                title={`Current: version ${conflict.current.version}`}
                valueType={conflict.current.valueType}
                value={conflict.secret ? MASK : valueText(conflict.current.valueType, conflict.current.value)}
                metadata={conflict.current.metadata}
                updatedAt={conflict.current.updatedAt}
              />
            ) : (
              <Stack gap={4} role="group" aria-label="Current">
                <Title order={3} size="h5">
                  Current
                </Title>
                <Text size="sm">Deleted.</Text>
              </Stack>
            )}
          </div>
          <Group justify="flex-end">
            {conflict.secret && conflict.current ? (
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
            ) : (
              <Button variant="default" onClick={onTakeTheirs} disabled={busy}>
                {conflict.current ? 'Take theirs' : 'Leave it deleted'}
              </Button>
            )}
            <Button onClick={onOverwrite} loading={busy}>
              {conflict.current ? 'Overwrite with yours' : 'Create it again with yours'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function Side({
  title,
  valueType,
  value,
  metadata,
  updatedAt,
}: {
  title: string;
  valueType: ValueType;
  value: string;
  metadata: Record<string, unknown> | null;
  updatedAt?: string;
}) {
  return (
    <Stack gap={4} role="group" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed">
        {valueType}
        {updatedAt && ` · updated ${new Date(updatedAt).toLocaleString()}`}
      </Text>
      <Code block className={classes.value}>
        {value}
      </Code>
      {metadata !== null && (
        <Text size="xs">
          Metadata <Code>{JSON.stringify(metadata)}</Code>
        </Text>
      )}
    </Stack>
  );
}
