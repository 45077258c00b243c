import type { ChangeEvent, KvClient } from '@kv-service/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { entryLevelsKey, namespaceKey, staleAfterChange } from '../api/query-keys';
import { useSession } from '../auth/session-provider';
import { WatchHub, type WatchStatus } from './watch-hub';

// One hub a session's client: every screen of the tab shares its streams; a new sign-in gets a new one.
const hubs = new WeakMap<KvClient, WatchHub>();

function hubOf(client: KvClient, endOnError: (error: unknown) => void): WatchHub {
  let hub = hubs.get(client);
  if (!hub) {
    // The client's watch reads with fetch, the token in the Authorization header (EventSource cannot send one).
    hub = new WatchHub((namespaceId, { signal, onOpen }) => client.watch(namespaceId, { signal, onOpen }), undefined, endOnError);
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
 * of changes once), and what it changed (the entry, the secret's state, the namespace: see staleAfterChange);
 * `onChange` is told of it too. A stream that (re)opens reads the listings again; one the token's expiry ends
 * ends the session.
 */
export function useNamespaceChanges(namespaceId: string, onChange?: (change: ChangeEvent) => void): LiveState {
  const { client, endOnError } = useSession();
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
        void queryClient.invalidateQueries({ queryKey: entryLevelsKey(namespaceId) });
      }, 150);
    };
    const unsubscribe = hubOf(client, endOnError).subscribe(namespaceId, {
      change: (change) => {
        refresh();
        for (const queryKey of staleAfterChange(change)) void queryClient.invalidateQueries({ queryKey });
        latest.current?.(change);
      },
      status: (status, error) => {
        setState({ status, error });
        if (status === 'live') refresh();
        // Ended without an error: the namespace was deleted, which reading it again says.
        if (status === 'stopped' && error === undefined) void queryClient.invalidateQueries({ queryKey: namespaceKey(namespaceId) });
      },
    });
    return () => {
      clearTimeout(pending);
      unsubscribe();
    };
  }, [client, endOnError, namespaceId, queryClient]);

  return state;
}
