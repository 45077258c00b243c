import type { Namespace } from '@kv-service/client';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useDeleteNamespace } from './namespace-queries';

/** Deleting takes every entry with it: confirmed by typing the namespace's name. */
export function DeleteNamespaceModal({ namespace, onClose }: { namespace: Namespace | null; onClose: () => void }) {
  const remove = useDeleteNamespace();
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    remove.reset();
    onClose();
  };
  const confirmed = namespace !== null && typed === namespace.name;

  return (
    <Modal opened={namespace !== null} onClose={close} title="Delete namespace">
      {namespace && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed) remove.mutate(namespace.id, { onSuccess: close });
          }}
        >
          <Stack>
            <Text size="sm">
              This deletes <strong>{namespace.name}</strong> of application <strong>{namespace.applicationId}</strong> and every entry in
              it. It cannot be undone.
            </Text>
            <TextInput
              label="Type the namespace's name to confirm"
              autoComplete="off"
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              data-autofocus
            />
            {remove.error && <ApiErrorAlert error={remove.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={!confirmed} loading={remove.isPending}>
                Delete
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
