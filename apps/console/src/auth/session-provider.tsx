import type { KvClient } from '@kv-service/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { kvClientFor } from '../api/kv-client';
import { checkToken, type SessionPrincipal } from './check-token';
import { afterResumeError, expiryCheckDelay, isUnauthenticated, sessionEndedNotice, TOKEN_EXPIRED_NOTICE } from './session-end';
import { tokenStore } from './token-store';

export interface Session {
  client: KvClient;
  principal: SessionPrincipal;
}

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; notice?: string }
  | { status: 'signed-in'; session: Session }
  // A kept token's check failed for another reason than a 401: the token is kept, to try again.
  | { status: 'resume-failed'; error: unknown };

interface SessionContextValue {
  state: SessionState;
  /** Checks the token with the gateway first; rejects with its error when refused. */
  signIn(token: string): Promise<void>;
  signOut(notice?: string): void;
  /** Ends the session when `error` is a 401 (from a call the query cache does not see, such as a watch). */
  endOnError(error: unknown): void;
  /** Checks the kept token again after a failed resume. */
  retryResume(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** A session for a token the gateway accepts (a KvApiError when it does not). */
async function startSession(token: string): Promise<Session> {
  const client = kvClientFor(token);
  return { client, principal: await checkToken(client) };
}

/** A call's error ends a signed-in session when it is a 401. */
function afterCallError(state: SessionState, error: unknown): SessionState {
  if (state.status !== 'signed-in' || !isUnauthenticated(error)) return state;
  return { status: 'signed-out', notice: sessionEndedNotice(state.session.principal, error) };
}

/**
 * The session (token, client, principal) and the query cache that belongs to it: signing out forgets both; the
 * token's expiry, or a 401 from any call, ends the session with a notice.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() => (tokenStore.get() ? { status: 'checking' } : { status: 'signed-out' }));
  const endOnError = useCallback((error: unknown) => setState((current) => afterCallError(current, error)), []);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: endOnError }),
        mutationCache: new MutationCache({ onError: endOnError }),
        defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
      }),
  );

  // Signed out, however it came about: the token and every answer read with it are forgotten.
  useEffect(() => {
    if (state.status !== 'signed-out') return;
    tokenStore.clear();
    queryClient.clear();
  }, [state.status, queryClient]);

  // The sign-in comes back at the token's expiry by itself, not at the next call's 401 (a screen may make none).
  const principal = state.status === 'signed-in' ? state.session.principal : null;
  useEffect(() => {
    if (!principal) return;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const delay = expiryCheckDelay(principal, Date.now());
      if (delay === 0) setState({ status: 'signed-out', notice: TOKEN_EXPIRED_NOTICE });
      else timer = setTimeout(check, delay);
    };
    check();
    return () => clearTimeout(timer);
  }, [principal]);

  // A token kept from before a reload is checked again before the first screen.
  useEffect(() => {
    const kept = tokenStore.get();
    if (state.status !== 'checking' || !kept) return;
    let current = true;
    startSession(kept).then(
      (session) => current && setState({ status: 'signed-in', session }),
      (error: unknown) => current && setState(afterResumeError(error)),
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
    endOnError,
    retryResume: () => setState({ status: 'checking' }),
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
export function useSession(): Session & Pick<SessionContextValue, 'signOut' | 'endOnError'> {
  const { state, signOut, endOnError } = useSessionState();
  if (state.status !== 'signed-in') throw new Error('useSession without a signed-in session');
  return { ...state.session, signOut, endOnError };
}
