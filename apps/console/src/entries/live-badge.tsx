import { Badge, Tooltip } from '@mantine/core';
import type { LiveState } from './use-namespace-changes';

/** Whether the screen follows changes as they happen (the watch stream), and why not when it stopped. */
export function LiveBadge({ live }: { live: LiveState }) {
  if (live.status === 'live')
    return (
      <Badge color="green" variant="light" role="status">
        Live
      </Badge>
    );
  if (live.status === 'connecting')
    return (
      <Badge color="gray" variant="light" role="status">
        Connecting…
      </Badge>
    );
  const why = live.error instanceof Error ? live.error.message : 'the stream ended';
  return (
    <Tooltip label={why}>
      <Badge color="orange" variant="light" role="status" aria-description={why}>
        Not following changes
      </Badge>
    </Tooltip>
  );
}
