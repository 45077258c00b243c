import type { KvClient } from '@kv-service/client';

/** Who is signed in, as far as the console shows it. */
export interface SessionPrincipal {
  id: string;
  /** When the token expires (epoch ms), if it says. */
  expiresAt: number | null;
}

/**
 * Asks the gateway whether it accepts the token (a KvApiError when not) and says who it names. Until
 * `GET /whoami` exists, a one-item namespace listing is the check and the name comes from the token's own
 * claims (shown only, never trusted: the gateway decides every call).
 */
export async function checkToken(client: KvClient, token: string): Promise<SessionPrincipal> {
  await client.listNamespaces({ limit: 1 });
  return principalClaimedBy(token);
}

function principalClaimedBy(token: string): SessionPrincipal {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; exp?: unknown };
    return {
      id: typeof claims.sub === 'string' ? claims.sub : 'unknown',
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    };
  } catch {
    return { id: 'unknown', expiresAt: null };
  }
}
