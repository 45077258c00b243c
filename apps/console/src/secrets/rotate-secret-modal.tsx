import type { ValueType } from '@kv-service/client';
import { Alert, Button, Code, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useRotateSecret } from './secret-queries';
import { MaskedValueInput } from './masked-value-input';
import { EMPTY_ROTATION_FORM, GENERATED_LENGTH, rotateOptionsOf, SECRET_ALPHABETS, type RotationForm } from './secret-value';

interface RotateSecretModalProps {
  opened: boolean;
  namespaceId: string;
  entryKey: string;
  valueType: ValueType;
  onClose: () => void;
  /** Told of each rotation's new version. */
  onRotated: (version: number) => void;
}

/**
 * A rotation to a given value or a generated one. A generated value is shown here once, with Copy; closing the
 * dialog forgets it for good (the mutation holding it is reset).
 */
export function RotateSecretModal({ opened, namespaceId, entryKey, valueType, onClose, onRotated }: RotateSecretModalProps) {
  const rotate = useRotateSecret(namespaceId, entryKey);
  const form = useForm<RotationForm>({ initialValues: EMPTY_ROTATION_FORM });
  const [copied, setCopied] = useState<boolean | Error>(false);
  const close = () => {
    form.reset();
    rotate.reset();
    setCopied(false);
    onClose();
  };
  const submit = form.onSubmit((values) => {
    const built = rotateOptionsOf(values, valueType);
    if ('error' in built) {
      form.setFieldError(values.source === 'given' ? 'value' : 'length', built.error);
      return;
    }
    rotate.mutate(
      { source: values.source, options: built.options },
      {
        onSuccess: (outcome) => {
          onRotated(outcome.version);
          if (outcome.generated === null) close();
        },
      },
    );
  });
  const generated = rotate.data?.generated ?? null;

  return (
    <Modal opened={opened} onClose={close} title={generated === null ? 'Rotate the secret' : 'The new value, shown once'}>
      {generated !== null && rotate.data ? (
        <Stack>
          <Text size="sm">
            Version {rotate.data.version} has this generated value. It is shown here this once: copy it now. Once this dialog is closed,
            only Reveal (an audited read) shows it again.
          </Text>
          <Code block role="group" aria-label="Generated value">
            {generated}
          </Code>
          <Group justify="flex-end">
            <Text size="sm" role="status">
              {copied === true ? 'Copied' : ''}
            </Text>
            <Button
              variant="default"
              onClick={() =>
                navigator.clipboard.writeText(generated).then(
                  () => setCopied(true),
                  (error: unknown) => setCopied(error instanceof Error ? error : new Error(String(error))),
                )
              }
            >
              Copy
            </Button>
            <Button onClick={close}>Done</Button>
          </Group>
          {copied instanceof Error && <ApiErrorAlert error={copied} />}
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="rotation-source-label">
                New value
              </Text>
              <SegmentedControl
                aria-labelledby="rotation-source-label"
                data={[
                  { value: 'generated', label: 'Generated' },
                  { value: 'given', label: 'Given' },
                ]}
                {...form.getInputProps('source')}
              />
            </Stack>
            {form.values.source === 'given' ? (
              <MaskedValueInput
                label="Value"
                description={`As ${valueType}${valueType === 'BINARY' ? ' (base64)' : ''}`}
                value={form.values.value}
                onChange={(value) => form.setFieldValue('value', value)}
                error={form.errors.value === undefined ? null : String(form.errors.value)}
                autoFocus
              />
            ) : (
              <Group grow preventGrowOverflow={false} wrap="wrap" align="flex-start">
                <NumberInput
                  label="Length"
                  min={GENERATED_LENGTH.min}
                  max={GENERATED_LENGTH.max}
                  allowDecimal={false}
                  {...form.getInputProps('length')}
                />
                <Select label="Alphabet" data={SECRET_ALPHABETS} allowDeselect={false} {...form.getInputProps('alphabet')} />
              </Group>
            )}
            <TextInput label="Reason" description="Kept with the version, in the clear" maxLength={512} {...form.getInputProps('reason')} />
            {form.values.source === 'generated' && (
              <Alert color="blue" variant="light">
                The gateway generates the value and answers it once: it is shown after the rotation, for you to copy.
              </Alert>
            )}
            {rotate.error && <ApiErrorAlert error={rotate.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                Rotate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
