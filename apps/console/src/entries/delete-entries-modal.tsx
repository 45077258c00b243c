import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useDeleteEntries } from './entry-queries';

const LISTED = 10;

/** Deleting one key or a selection of them (one bulk call), once confirmed. */
export function DeleteEntriesModal({
  namespaceId,
  keys,
  onClose,
  onDeleted,
}: {
  namespaceId: string;
  keys: string[];
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteEntries(namespaceId);
  const close = () => {
    remove.reset();
    onClose();
  };
  const title = keys.length === 1 ? 'Delete entry' : `Delete ${keys.length} entries`;
  return (
    <Modal opened={keys.length > 0} onClose={close} title={title}>
      <Stack>
        <Text size="sm">{keys.length === 1 ? 'This deletes the entry:' : 'This deletes these entries:'}</Text>
        <List size="sm" spacing={2}>
          {keys.slice(0, LISTED).map((key) => (
            <List.Item key={key}>
              <code>{key}</code>
            </List.Item>
          ))}
        </List>
        {keys.length > LISTED && <Text size="sm">…and {keys.length - LISTED} more.</Text>}
        <Text size="sm">It cannot be undone.</Text>
        {remove.error && <ApiErrorAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(keys, {
                onSuccess: () => {
                  close();
                  onDeleted();
                },
              })
            }
            data-autofocus
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
