import { KvApiError, type KvClient } from '@kv-service/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { kvClientFor } from '../api/kv-client';
import { checkToken, type SessionPrincipal } from './check-token';
import { tokenStore } from './token-store';

export interface Session {
  client: KvClient;
  principal: SessionPrincipal;
}

export type SessionState = { status: 'checking' } | { status: 'signed-out'; notice?: string } | { status: 'signed-in'; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** Checks the token with the gateway first; rejects with its error when refused. */
  signIn(token: string): Promise<void>;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** A session for a token the gateway accepts (a KvApiError when it does not). */
async function startSession(token: string): Promise<Session> {
  const client = kvClientFor(token);
  return { client, principal: await checkToken(client) };
}

/** What the sign-in form says when the gateway stops accepting the session's token (401). */
export function sessionEndedNotice(principal: SessionPrincipal, error: KvApiError, now = Date.now()): string {
  if (Date.parse(principal.expiresAt) <= now) return 'Your token has expired. Sign in with a new one.';
  return `The gateway no longer accepts your token (${error.message}). Sign in again.`;
}

/** A call's error ends a signed-in session when it is a 401. */
function afterCallError(state: SessionState, error: unknown): SessionState {
  if (state.status !== 'signed-in' || !(error instanceof KvApiError) || error.statusCode !== 401) return state;
  return { status: 'signed-out', notice: sessionEndedNotice(state.session.principal, error) };
}

/**
 * The session (token, client, principal) and the query cache that belongs to it: signing out forgets both, and a
 * 401 from any call ends the session with a notice.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() => (tokenStore.get() ? { status: 'checking' } : { status: 'signed-out' }));
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: (error) => setState((current) => afterCallError(current, error)) }),
        mutationCache: new MutationCache({ onError: (error) => setState((current) => afterCallError(current, error)) }),
        defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
      }),
  );

  // Signed out, however it came about: the token and every answer read with it are forgotten.
  useEffect(() => {
    if (state.status !== 'signed-out') return;
    tokenStore.clear();
    queryClient.clear();
  }, [state.status, queryClient]);

  // A token kept from before a reload is checked again before the first screen.
  useEffect(() => {
    const kept = tokenStore.get();
    if (state.status !== 'checking' || !kept) return;
    let current = true;
    startSession(kept).then(
      (session) => current && setState({ status: 'signed-in', session }),
      (error: unknown) =>
        current &&
        setState({
          status: 'signed-out',
          notice: `Your session could not be resumed: ${error instanceof Error ? error.message : 'no answer'}`,
        }),
    );
    return () => {
      current = false;
    };
  }, [state.status]);

  const value: SessionContextValue = {
    state,
    signIn: async (token) => {
      const session = await startSession(token);
      tokenStore.set(token);
      setState({ status: 'signed-in', session });
    },
    signOut: (notice) => setState({ status: 'signed-out', notice }),
  };
  return (
    <SessionContext value={value}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionContext>
  );
}

export function useSessionState(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionState outside SessionProvider');
  return value;
}

/** The signed-in session: only screens behind the SessionGate call this. */
export function useSession(): Session & { signOut: SessionContextValue['signOut'] } {
  const { state, signOut } = useSessionState();
  if (state.status !== 'signed-in') throw new Error('useSession without a signed-in session');
  return { ...state.session, signOut };
}
