import { EntryFileError, fileOfEntries, type EntryFileFormat, type Namespace } from '@kv-service/client';
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';
import { download } from '../layout/download';

const FILE_TYPES: Record<EntryFileFormat, { extension: string; mime: string }> = {
  dotenv: { extension: 'env', mime: 'text/plain' },
  json: { extension: 'json', mime: 'application/json' },
};

/** Export a namespace's entries (under a prefix) as a .env file or a JSON object, keys sorted, as `kv export` writes them. */
export function ExportDialog({ namespace, onClose }: { namespace: Namespace | null; onClose: () => void }) {
  return (
    <Modal opened={namespace !== null} onClose={onClose} title={namespace ? `Export ${namespace.name}` : 'Export'}>
      {namespace && <ExportForm key={namespace.id} namespace={namespace} onClose={onClose} />}
    </Modal>
  );
}

function ExportForm({ namespace, onClose }: { namespace: Namespace; onClose: () => void }) {
  const { client } = useSession();
  const [format, setFormat] = useState<EntryFileFormat>('dotenv');
  const [prefix, setPrefix] = useState('');
  const exporting = useMutation({
    mutationFn: async () => {
      const entries = [];
      for await (const entry of client.entries(namespace.id, { prefix: prefix.trim() || undefined, limit: 1000 })) entries.push(entry);
      download(fileOfEntries(entries, format, prefix.trim()), `${namespace.name}.${FILE_TYPES[format].extension}`, FILE_TYPES[format].mime);
      return entries.length;
    },
  });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        exporting.mutate();
      }}
    >
      <Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="export-format-label">
            Format
          </Text>
          <SegmentedControl
            aria-labelledby="export-format-label"
            value={format}
            onChange={(value) => setFormat(value as EntryFileFormat)}
            data={[
              { value: 'dotenv', label: '.env' },
              { value: 'json', label: 'JSON' },
            ]}
          />
          <Text size="xs" c="dimmed">
            {format === 'dotenv'
              ? 'Every value as text; keys must be .env names (no "/"): use JSON for a tree of keys.'
              : 'Nested objects for key paths; values keep their type (BINARY as base64).'}
          </Text>
        </Stack>
        <TextInput
          label="Prefix"
          description="Only keys under it, written without it"
          placeholder="Every key"
          value={prefix}
          onChange={(event) => setPrefix(event.currentTarget.value)}
        />
        {namespace.isSecretNamespace && (
          <Alert color="yellow" title="This exports secrets in plain text">
            Exporting reads every secret under the prefix: each one is recorded as a READ in the audit trail, and the file holds its value
            unencrypted.
          </Alert>
        )}
        {exporting.data !== undefined && (
          <Text size="sm" role="status">
            Exported {exporting.data} {exporting.data === 1 ? 'entry' : 'entries'}.
          </Text>
        )}
        {exporting.error instanceof EntryFileError ? (
          <Alert color="red" title="Cannot be written in this format" role="alert">
            {exporting.error.message}
          </Alert>
        ) : (
          exporting.error && <ApiErrorAlert error={exporting.error} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button type="submit" loading={exporting.isPending}>
            Download
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
