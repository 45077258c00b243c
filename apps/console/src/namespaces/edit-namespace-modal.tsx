import type { Namespace } from '@kv-service/client';
import { Button, Group, Modal, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiErrorAlert } from '../api/api-error-alert';
import { namespaceFormOf, namespaceInputOf, type NamespaceFormValues } from './namespace-form';
import { useUpdateNamespace } from './namespace-queries';

/** Edits what the API lets change: name, description, default TTL and (secret namespaces) the version cap. */
export function EditNamespaceModal({ namespace, onClose }: { namespace: Namespace | null; onClose: () => void }) {
  return (
    <Modal opened={namespace !== null} onClose={onClose} title="Edit namespace">
      {/* Keyed by the namespace, so that the form starts from its values each time it opens. */}
      {namespace && <EditNamespaceForm key={namespace.id} namespace={namespace} onClose={onClose} />}
    </Modal>
  );
}

function EditNamespaceForm({ namespace, onClose }: { namespace: Namespace; onClose: () => void }) {
  const update = useUpdateNamespace();
  const form = useForm<NamespaceFormValues>({
    initialValues: namespaceFormOf(namespace),
    validate: { name: (value) => (value.trim() ? null : 'Name is required') },
  });
  const submit = form.onSubmit((values) =>
    update.mutate({ namespaceId: namespace.id, input: namespaceInputOf(values) }, { onSuccess: onClose }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          Application <strong>{namespace.applicationId}</strong>, {namespace.isSecretNamespace ? 'secret' : 'plain'}: neither can change.
        </Text>
        <TextInput label="Name" required {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        <NumberInput
          label="Default TTL (seconds)"
          description="For entries written without one; empty for none"
          min={1}
          allowDecimal={false}
          {...form.getInputProps('defaultTtlSeconds')}
        />
        {namespace.isSecretNamespace && (
          <NumberInput
            label="Version cap"
            description="Keep at most this many versions of a secret; empty for all"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('maxSecretVersions')}
          />
        )}
        {update.error && <ApiErrorAlert error={update.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
