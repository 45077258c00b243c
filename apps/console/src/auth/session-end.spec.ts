import { KvApiError, KvTimeoutError, KvTokenExpiredError, type Whoami } from '@kv-service/client';
import { afterResumeError, expiryCheckDelay, MAX_TIMER_MS, sessionEndedNotice, TOKEN_EXPIRED_NOTICE } from './session-end';

const principal = (expiresAt: string) => ({ expiresAt }) as Whoami;
const now = Date.parse('2026-01-01T00:00:00Z');

describe('the session’s end', () => {
  it('waits until the token expires, at most what a timer can wait, and not at all once it has', () => {
    expect(expiryCheckDelay(principal('2026-01-01T00:00:05Z'), now)).toBe(5000);
    expect(expiryCheckDelay(principal('2025-12-31T23:59:59Z'), now)).toBe(0);
    expect(expiryCheckDelay(principal('2027-01-01T00:00:00Z'), now)).toBe(MAX_TIMER_MS);
  });

  it('says the token expired when it has, or what the gateway said otherwise', () => {
    const refused = new KvApiError(401, 'UNAUTHENTICATED', 'revoked');
    expect(sessionEndedNotice(principal('2025-12-31T23:59:59Z'), new KvTokenExpiredError(), now)).toBe(TOKEN_EXPIRED_NOTICE);
    expect(sessionEndedNotice(principal('2026-01-01T01:00:00Z'), refused, now)).toMatch(/no longer accepts your token \(revoked\)/);
  });

  it('forgets a kept token on a 401 only: a 503 or no answer keeps it, to try again', () => {
    expect(afterResumeError(new KvApiError(401, 'UNAUTHENTICATED', 'bad signature'))).toEqual({
      status: 'signed-out',
      notice: 'Your session could not be resumed: bad signature',
    });
    const unavailable = new KvApiError(503, 'SERVICE_UNAVAILABLE', 'down');
    expect(afterResumeError(unavailable)).toEqual({ status: 'resume-failed', error: unavailable });
    const timeout = new KvTimeoutError('http://gw/whoami', 1000);
    expect(afterResumeError(timeout)).toEqual({ status: 'resume-failed', error: timeout });
  });
});
