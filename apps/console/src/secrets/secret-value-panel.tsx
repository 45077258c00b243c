import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { REVEAL_FOR_MS } from './reveal-timer';
import { useReadSecretValue } from './secret-queries';
import { MASK } from './secret-value';
import { useReveal } from './use-reveal';

/**
 * A secret's value, masked: "Reveal" reads it (an audited READ) and shows it for a while; "Copy" reads it onto the
 * clipboard without showing it. The value lives in this component's state only, never in the query cache.
 * The current value (no `version`) is masked again once `currentVersion` changes: what was shown is no longer it.
 */
export function SecretValuePanel({
  namespaceId,
  entryKey,
  version,
  currentVersion,
}: {
  namespaceId: string;
  entryKey: string;
  version?: number;
  currentVersion?: number;
}) {
  const read = useReadSecretValue(namespaceId, entryKey, version);
  const { reveal, secondsLeft, show, hide } = useReveal();
  // Set while rendering (React's way to reset state on a prop's change), so an old value is never painted.
  const [shownOf, setShownOf] = useState(currentVersion);
  if (shownOf !== currentVersion) {
    setShownOf(currentVersion);
    if (shownOf !== undefined) hide();
  }
  const [copy, setCopy] = useState<{ state: 'idle' | 'copied' } | { state: 'failed'; error: unknown }>({ state: 'idle' });

  const onReveal = () => {
    setCopy({ state: 'idle' });
    read.mutate(undefined, {
      onSuccess: (text) => {
        read.reset();
        show(text);
      },
    });
  };
  const onCopy = () => {
    setCopy({ state: 'idle' });
    read.mutate(undefined, {
      onSuccess: (text) => {
        read.reset();
        navigator.clipboard.writeText(text).then(
          () => setCopy({ state: 'copied' }),
          (error: unknown) => setCopy({ state: 'failed', error }),
        );
      },
    });
  };

  return (
    <Stack gap="xs">
      <Text size="sm" fw={500} id={`value-label-${version ?? 'current'}`}>
        {version === undefined ? 'Value' : `Value of version ${version}`}
      </Text>
      <Code block role="group" aria-labelledby={`value-label-${version ?? 'current'}`}>
        {reveal.shown ? reveal.text : MASK}
      </Code>
      <Text size="xs" c="dimmed" aria-live="polite">
        {reveal.shown
          ? `Shown for ${secondsLeft} more s, and hidden at once if you leave this tab.`
          : `Masked. Reveal reads it (an audited read) and shows it for ${REVEAL_FOR_MS / 1000} s; Copy puts it on the clipboard without showing it.`}
      </Text>
      <Group gap="xs">
        {reveal.shown ? (
          <Button variant="default" size="xs" onClick={hide}>
            Hide
          </Button>
        ) : (
          <Button size="xs" onClick={onReveal} loading={read.isPending}>
            Reveal
          </Button>
        )}
        <Button variant="default" size="xs" onClick={onCopy} disabled={read.isPending}>
          Copy
        </Button>
        <Text size="sm" role="status">
          {copy.state === 'copied' ? 'Copied' : ''}
        </Text>
      </Group>
      {read.error && <ApiErrorAlert error={read.error} />}
      {copy.state === 'failed' && <ApiErrorAlert error={copy.error} />}
    </Stack>
  );
}
