import { Button, Group, Modal, NumberInput, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiErrorAlert } from '../api/api-error-alert';
import { EMPTY_NAMESPACE_FORM, namespaceInputOf, type NamespaceFormValues } from './namespace-form';
import { useCreateNamespace } from './namespace-queries';

const required = (label: string) => (value: string) => (value.trim() ? null : `${label} is required`);

export function CreateNamespaceModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateNamespace();
  const form = useForm<NamespaceFormValues>({
    initialValues: EMPTY_NAMESPACE_FORM,
    validate: { applicationId: required('Application'), name: required('Name') },
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((values) => create.mutate(namespaceInputOf(values), { onSuccess: close }));

  return (
    <Modal opened={opened} onClose={close} title="Create a namespace">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Application" required {...form.getInputProps('applicationId')} />
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="namespace-kind-label">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="namespace-kind-label"
              data={[
                { value: 'plain', label: 'Plain' },
                { value: 'secret', label: 'Secret' },
              ]}
              {...form.getInputProps('kind')}
            />
            <Text size="xs" c="dimmed">
              A secret namespace encrypts and versions its entries; the kind cannot change later.
            </Text>
          </Stack>
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <NumberInput
            label="Default TTL (seconds)"
            description="For entries written without one"
            min={1}
            allowDecimal={false}
            {...form.getInputProps('defaultTtlSeconds')}
          />
          {form.values.kind === 'secret' && (
            <NumberInput
              label="Version cap"
              description="Keep at most this many versions of a secret"
              min={1}
              allowDecimal={false}
              {...form.getInputProps('maxSecretVersions')}
            />
          )}
          {create.error && <ApiErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
