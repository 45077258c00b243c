import {
  EntryFileError,
  formatOfFileName,
  itemsOfFile,
  MAX_BULK_ITEMS,
  type Entry,
  type KvClient,
  type Namespace,
} from '@kv-service/client';
import { Alert, Badge, Button, Group, Modal, Progress, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';
import { scrollRegion } from '../layout/scroll-region';
import { applyImport, type ImportResult } from './apply-import';
import { addressableKeys, batchesOf, planImport, type ImportChange, type ImportPlan, type ImportPlanRow } from './import-plan';
import classes from './transfer.module.css';

/** The plan's table shows this many rows at most (the counts cover all of them). */
const SHOWN_ROWS = 500;
/** Smaller than the API's limit, so that the progress bar moves on a file of a few thousand keys. */
const APPLY_BATCH = 250;

const CHANGE_LABELS: Record<ImportChange, { label: string; color: string }> = {
  create: { label: 'Create', color: 'green' },
  change: { label: 'Change', color: 'yellow' },
  unchanged: { label: 'Unchanged', color: 'gray' },
  invalid: { label: 'Invalid', color: 'red' },
};

interface Planned {
  fileName: string;
  plan: ImportPlan;
}

/** The entries the namespace holds now under the file's keys, read in bulk calls. */
async function currentEntries(client: KvClient, namespaceId: string, keys: string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const batch of batchesOf(keys, MAX_BULK_ITEMS)) entries.push(...(await client.bulkGet(namespaceId, batch)).items);
  return entries;
}

/** Import a .env or JSON file into a namespace: the plan first, then the writes in bulk calls, with progress. */
export function ImportDialog({ namespace, onClose }: { namespace: Namespace | null; onClose: () => void }) {
  return (
    <Modal opened={namespace !== null} onClose={onClose} title={namespace ? `Import into ${namespace.name}` : 'Import'} size="xl">
      {namespace && <ImportFlow key={namespace.id} namespace={namespace} onClose={onClose} />}
    </Modal>
  );
}

function ImportFlow({ namespace, onClose }: { namespace: Namespace; onClose: () => void }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [prefix, setPrefix] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState(0);

  const planning = useMutation({
    mutationFn: async (file: File): Promise<Planned> => {
      const items = itemsOfFile(await file.text(), formatOfFileName(file.name), prefix.trim());
      const current = await currentEntries(client, namespace.id, addressableKeys(items));
      return { fileName: file.name, plan: planImport(items, current, namespace.isSecretNamespace) };
    },
  });
  const applying = useMutation({
    mutationFn: (plan: ImportPlan): Promise<ImportResult> => applyImport(client, namespace.id, plan.writes, setProgress, APPLY_BATCH),
    // Whatever was written, every screen reads the namespace again.
    onSettled: () => queryClient.invalidateQueries(),
  });

  const choose = (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    planning.mutate(file, {
      onError: (error) => error instanceof EntryFileError && setFileError(`${file.name}: ${error.message}`),
    });
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    choose(event.dataTransfer.files[0]);
  };

  if (applying.data) return <ImportSummary plan={planning.data!.plan} result={applying.data} onClose={onClose} />;
  if (applying.isPending && planning.data) {
    const total = planning.data.plan.writes.length;
    return (
      <Stack>
        <Progress value={total === 0 ? 100 : (progress / total) * 100} aria-label="Import progress" size="lg" />
        <Text size="sm" role="status">
          Writing {progress} of {total} entries…
        </Text>
      </Stack>
    );
  }
  if (planning.data)
    return (
      <PlanView
        planned={planning.data}
        secret={namespace.isSecretNamespace}
        onBack={() => planning.reset()}
        onApply={() => {
          setProgress(0);
          applying.mutate(planning.data.plan);
        }}
      />
    );

  return (
    <Stack>
      <Text size="sm">
        A <code>.env</code> file (every value a STRING) or a JSON object (nested objects are key paths <code>a/b/c</code>; numbers, booleans
        and strings keep their type, arrays and <code>null</code> are JSON). Nothing is written before you have seen the plan.
      </Text>
      <Text size="sm" c="dimmed">
        {namespace.isSecretNamespace
          ? 'Planning reads the current value of each key of the file, to compare: each secret found is recorded as a READ in the audit trail. The plan shows no value.'
          : 'Planning reads the current value of each key of the file, to compare.'}
      </Text>
      <TextInput
        label="Prefix"
        description="Put every key of the file under this prefix, e.g. env/"
        placeholder="No prefix"
        value={prefix}
        onChange={(event) => setPrefix(event.currentTarget.value)}
      />
      <div className={classes.dropArea} onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
        <Text size="sm" fw={500}>
          Drop a file here, or
        </Text>
        <label className={classes.fileLabel}>
          <span>Choose a .env or JSON file</span>
          <input
            type="file"
            accept=".env,.json,.txt,text/plain,application/json"
            onChange={(event) => choose(event.currentTarget.files?.[0])}
            disabled={planning.isPending}
          />
        </label>
      </div>
      {planning.isPending && (
        <Text size="sm" role="status">
          Reading the file and the namespace…
        </Text>
      )}
      {fileError ? (
        <Alert color="red" title="Not a file of entries" role="alert">
          {fileError}
        </Alert>
      ) : (
        planning.error && <ApiErrorAlert error={planning.error} />
      )}
    </Stack>
  );
}

function PlanView({ planned, secret, onBack, onApply }: { planned: Planned; secret: boolean; onBack: () => void; onApply: () => void }) {
  const { plan } = planned;
  const writes = plan.writes.length;
  return (
    <Stack>
      <Text size="sm">
        Plan for <strong>{planned.fileName}</strong>: {plan.rows.length} keys.
      </Text>
      <Group gap="xs" aria-label="Plan counts" role="group">
        <Badge color="green" variant="light">
          {plan.counts.create} to create
        </Badge>
        <Badge color="yellow" variant="light">
          {plan.counts.change} to change
        </Badge>
        <Badge color="gray" variant="light">
          {plan.counts.unchanged} unchanged
        </Badge>
        {plan.counts.invalid > 0 && (
          <Badge color="red" variant="light">
            {plan.counts.invalid} invalid
          </Badge>
        )}
      </Group>
      <Table.ScrollContainer minWidth={560} maxHeight={360} scrollAreaProps={scrollRegion('Import plan rows')}>
        <Table striped aria-label="Import plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Plan</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.rows.slice(0, SHOWN_ROWS).map((row) => (
              <Table.Tr key={row.key}>
                <Table.Td className={classes.key}>{row.key}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={CHANGE_LABELS[row.change].color}>
                    {CHANGE_LABELS[row.change].label}
                  </Badge>
                </Table.Td>
                <Table.Td>{row.previousType ? `${row.previousType} → ${row.valueType}` : row.valueType}</Table.Td>
                <Table.Td className={classes.value}>
                  <PlannedValue row={row} secret={secret} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {plan.rows.length > SHOWN_ROWS && (
        <Text size="xs" c="dimmed">
          The first {SHOWN_ROWS} keys are shown; the counts are of all {plan.rows.length}.
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onBack}>
          Choose another file
        </Button>
        <Button onClick={onApply} disabled={writes === 0}>
          {writes === 0 ? 'Nothing to apply' : `Apply ${writes} ${writes === 1 ? 'change' : 'changes'}`}
        </Button>
      </Group>
    </Stack>
  );
}

function PlannedValue({ row, secret }: { row: ImportPlanRow; secret: boolean }) {
  if (row.change === 'invalid') return <Text size="sm">{row.problem} (INVALID_KEY)</Text>;
  if (secret) return <Text size="sm">{row.change === 'change' ? 'changed (hidden)' : '(hidden)'}</Text>;
  if (row.change === 'change')
    return (
      <Text size="sm">
        <del>{row.before}</del> → <ins>{row.after}</ins>
      </Text>
    );
  return <Text size="sm">{row.after}</Text>;
}

function ImportSummary({ plan, result, onClose }: { plan: ImportPlan; result: ImportResult; onClose: () => void }) {
  return (
    <Stack>
      <Progress value={100} aria-label="Import progress" size="lg" color={result.failures.length ? 'red' : 'green'} />
      <Text role="status" size="sm">
        Done: {result.written} written, {result.failures.length} failed, {plan.counts.unchanged} unchanged
        {plan.counts.invalid > 0 ? `, ${plan.counts.invalid} invalid (not sent)` : ''}.
      </Text>
      {result.failures.length > 0 && (
        <Table.ScrollContainer minWidth={480} maxHeight={280} scrollAreaProps={scrollRegion('Failed entries')}>
          <Table striped aria-label="Entries not written">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Key</Table.Th>
                <Table.Th>Code</Table.Th>
                <Table.Th>Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.failures.slice(0, SHOWN_ROWS).map((failure) => (
                <Table.Tr key={failure.key}>
                  <Table.Td className={classes.key}>{failure.key}</Table.Td>
                  <Table.Td>
                    <code>{failure.code}</code>
                  </Table.Td>
                  <Table.Td>{failure.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Stack>
  );
}
