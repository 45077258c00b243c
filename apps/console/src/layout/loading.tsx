import { Group, Loader, Text } from '@mantine/core';

/** What a screen shows while `what` loads: a spinner named for screen readers and the same words beside it. */
export function Loading({ what }: { what: string }) {
  return (
    <Group>
      <Loader size="sm" aria-label={`Loading ${what}`} />
      <Text size="sm">Loading {what}…</Text>
    </Group>
  );
}
