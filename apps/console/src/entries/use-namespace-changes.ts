import type { ChangeEvent, KvClient } from '@kv-service/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session-provider';
import { entriesKey } from './entry-queries';
import { WatchHub, type WatchStatus } from './watch-hub';

// One hub a session's client: every screen of the tab shares its streams; a new sign-in gets a new one.
const hubs = new WeakMap<KvClient, WatchHub>();

function hubOf(client: KvClient): WatchHub {
  let hub = hubs.get(client);
  if (!hub) {
    // The client's watch reads with fetch, the token in the Authorization header (EventSource cannot send one).
    hub = new WatchHub((namespaceId, { signal, onOpen }) => client.watch(namespaceId, { signal, onOpen }));
    hubs.set(client, hub);
  }
  return hub;
}

export interface LiveState {
  status: WatchStatus;
  error?: unknown;
}

/**
 * Follows a namespace's changes while the screen is open: each one makes its listings stale (read again, a burst
 * of changes once), and `onChange` is told of it too. A stream that (re)opens reads again whatever changed before.
 */
export function useNamespaceChanges(namespaceId: string, onChange?: (change: ChangeEvent) => void): LiveState {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: 'connecting' });
  // The latest listener, for the stream's subscriber (which outlives a render).
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        void queryClient.invalidateQueries({ queryKey: [...entriesKey(namespaceId), 'level'] });
      }, 150);
    };
    const unsubscribe = hubOf(client).subscribe(namespaceId, {
      change: (change) => {
        refresh();
        latest.current?.(change);
      },
      status: (status, error) => {
        setState({ status, error });
        if (status === 'live') refresh();
      },
    });
    return () => {
      clearTimeout(pending);
      unsubscribe();
    };
  }, [client, namespaceId, queryClient]);

  return state;
}
