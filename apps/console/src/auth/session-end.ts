import { KvApiError } from '@kv-service/client';
import type { SessionPrincipal } from './check-token';

/** What the sign-in form says once the token's `exp` has passed, however the console learnt it. */
export const TOKEN_EXPIRED_NOTICE = 'Your token has expired. Sign in with a new one.';

/** setTimeout's longest delay (2^31 - 1 ms, about 24.8 days): a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Whether an error is the gateway refusing the token itself (401; a 403 refuses one call only). */
export function isUnauthenticated(error: unknown): error is KvApiError {
  return error instanceof KvApiError && error.statusCode === 401;
}

/** What the sign-in form says when the gateway stops accepting the session's token (401). */
export function sessionEndedNotice(principal: SessionPrincipal, error: KvApiError, now = Date.now()): string {
  if (Date.parse(principal.expiresAt) <= now) return TOKEN_EXPIRED_NOTICE;
  return `The gateway no longer accepts your token (${error.message}). Sign in again.`;
}

/**
 * How long to wait before checking the token's expiry again: until its `exp` (0 once passed), capped to what a
 * timer can wait (a later check waits the rest).
 */
export function expiryCheckDelay(principal: SessionPrincipal, now: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(principal.expiresAt) - now));
}

/**
 * What a failed check of a token kept from before a reload leads to: a 401 signs out (the token is no good), anything
 * else (a 503, no answer) is shown with a retry, the token kept.
 */
export function afterResumeError(error: unknown): { status: 'signed-out'; notice: string } | { status: 'resume-failed'; error: unknown } {
  if (isUnauthenticated(error)) return { status: 'signed-out', notice: `Your session could not be resumed: ${error.message}` };
  return { status: 'resume-failed', error };
}
