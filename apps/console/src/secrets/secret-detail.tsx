import type { EntryKey, Namespace } from '@kv-service/client';
import { Badge, Button, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { Loading } from '../layout/loading';
import { ApiErrorAlert } from '../api/api-error-alert';
import { mayDo } from '../auth/check-token';
import { useSession } from '../auth/session-provider';
import { LiveBadge } from '../entries/live-badge';
import { useNamespaceChanges } from '../entries/use-namespace-changes';
import { RotateSecretModal } from './rotate-secret-modal';
import { SecretHistory } from './secret-history';
import { useSecretState } from './secret-queries';
import { SecretValuePanel } from './secret-value-panel';

/**
 * One entry of a secret namespace. Opening it reads no value: its state comes from a keys-only listing (one LIST
 * record), its value only on Reveal or Copy, its history (a READ of the record, not of a value) on its tab.
 * What the token does not allow is not offered; what the gateway refuses all the same shows its message and code.
 */
export function SecretDetail({ namespace, entryKey }: { namespace: Namespace; entryKey: string }) {
  const { principal } = useSession();
  const state = useSecretState(namespace.id, entryKey);
  // A change of this key (a rotation elsewhere, say) makes its state and history stale: see staleAfterChange.
  const live = useNamespaceChanges(namespace.id);
  const [rotating, setRotating] = useState(false);
  const [lastChange, setLastChange] = useState<string | null>(null);
  const may = {
    read: mayDo(principal, 'kv-entry:read', namespace.id),
    rotate: mayDo(principal, 'kv-secret:rotate', namespace.id),
    readVersions: mayDo(principal, 'kv-secret:versions', namespace.id),
  };
  const secret = state.data ?? undefined;

  return (
    <Stack>
      {/* The page above names the key and its folders; this says what kind of entry it is. */}
      <Group gap="xs">
        <Badge variant="light" color="grape">
          Secret
        </Badge>
        <Text size="sm" c="dimmed">
          {namespace.applicationId} / {namespace.name}
        </Text>
        <LiveBadge live={live} />
      </Group>
      {state.isPending ? (
        <Loading what="the secret" />
      ) : state.isError ? (
        <ApiErrorAlert error={state.error} />
      ) : state.data === null ? (
        <Text role="status">No secret has this key in {namespace.name}.</Text>
      ) : (
        <SecretFacts secret={state.data} />
      )}
      {lastChange && (
        <Text size="sm" role="status" fw={500}>
          {lastChange}
        </Text>
      )}
      <Tabs defaultValue="value" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="value">Value</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="value" pt="md">
          <Stack>
            {may.read ? (
              <SecretValuePanel namespaceId={namespace.id} entryKey={entryKey} currentVersion={secret?.version} />
            ) : (
              <Text size="sm" c="dimmed">
                Your token does not allow reading this value (kv-entry:read).
              </Text>
            )}
            {may.rotate && secret && (
              <Group>
                <Button variant="default" onClick={() => setRotating(true)}>
                  Rotate
                </Button>
              </Group>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          {may.read ? (
            <SecretHistory
              namespaceId={namespace.id}
              entryKey={entryKey}
              currentVersion={secret?.version}
              mayReadVersions={may.readVersions}
              mayRollBack={may.rotate}
              onRolledBack={(version, from) => setLastChange(`Rolled back: version ${version} has the value of version ${from}.`)}
            />
          ) : (
            <Text size="sm" c="dimmed">
              Your token does not allow reading this secret&apos;s history (kv-entry:read).
            </Text>
          )}
        </Tabs.Panel>
      </Tabs>
      {secret && (
        <RotateSecretModal
          opened={rotating}
          namespaceId={namespace.id}
          entryKey={entryKey}
          valueType={secret.valueType}
          onClose={() => setRotating(false)}
          onRotated={(version) => setLastChange(`Rotated: version ${version} is current.`)}
        />
      )}
    </Stack>
  );
}

function SecretFacts({ secret }: { secret: EntryKey }) {
  const facts: Array<[string, string]> = [
    ['Type', secret.valueType],
    ['Version', String(secret.version)],
    ['Updated', new Date(secret.updatedAt).toLocaleString()],
    ['Expires', secret.expiresAt ? new Date(secret.expiresAt).toLocaleString() : 'never'],
  ];
  return (
    <Stack gap="xs">
      <Group gap="lg" component="dl" m={0}>
        {facts.map(([term, value]) => (
          <div key={term}>
            <Text component="dt" size="xs" c="dimmed">
              {term}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {value}
            </Text>
          </div>
        ))}
      </Group>
      {secret.metadata && (
        <div>
          <Text size="xs" c="dimmed" id="secret-metadata-label">
            Metadata
          </Text>
          <Code block role="group" aria-labelledby="secret-metadata-label">
            {JSON.stringify(secret.metadata, null, 2)}
          </Code>
        </div>
      )}
    </Stack>
  );
}
