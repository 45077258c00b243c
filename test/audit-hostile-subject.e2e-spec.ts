import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { call, platformState, tokenFor, uniqueName } from './support/api';
import { eventually } from './support/workload';
import { anAuditor, aPrincipal } from './support/principals';

/** A validly signed token whose subject holds text Postgres cannot store as it is. */
function tokenWithSubject(sub: string): Promise<string> {
  return new SignJWT({ permissions: ['kv-namespace:read'], apps: ['*'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(platformState().jwtSecret));
}

/**
 * Issue 17: a token whose `sub` held a NUL made the audit service dead-letter the whole batched message
 * the gateway sent, bystanders' records with it; one with a lone surrogate was stored as U+FFFD but
 * hashed as sent, so verification failed from then on.
 */
describe('audit trail beside callers with odd token subjects', () => {
  it("keeps every bystander's record, and the fact of every odd call, and the chain verifies", async () => {
    const bystander = uniqueName('bystander');
    const bystanderToken = await tokenFor(aPrincipal(['kv-namespace:read'], { id: bystander }));
    const oddTokens = await Promise.all([
      ...Array.from({ length: 4 }, () => tokenWithSubject(`odd\u0000${uniqueName('nul')}`)),
      ...Array.from({ length: 4 }, () => tokenWithSubject(`odd\ud800${uniqueName('surrogate')}`)),
    ]);
    const auditor = await tokenFor(anAuditor({ id: 'hostile-subject-auditor' }));
    const since = new Date(Date.now() - 1000).toISOString();

    const bystanderCalls = Array.from({ length: 20 }, () => randomUUID());
    const oddCalls = oddTokens.map(() => randomUUID());
    // Side by side, so that the gateway sends their records in the same messages.
    const answers = await Promise.all([
      ...bystanderCalls.map((requestId) => call('GET', '/namespaces', { token: bystanderToken, headers: { 'x-request-id': requestId } })),
      ...oddTokens.map((token, i) => call('GET', '/namespaces', { token, headers: { 'x-request-id': oddCalls[i]! } })),
    ]);
    expect(answers.slice(0, bystanderCalls.length).map((answer) => answer.status)).toEqual(bystanderCalls.map(() => 200));
    // Whatever the gateway answers an odd subject (served, or refused as an invalid token), never a 5xx.
    for (const answer of answers.slice(bystanderCalls.length)) expect(answer.status).toBeLessThan(500);

    const trailed = async (query: string): Promise<Set<string>> => {
      const page = await call('GET', `/audit?${query}&limit=1000`, { token: auditor });
      return new Set((page.body.items as Array<{ requestId: string }>).map((item) => item.requestId));
    };
    const allIn = (ids: string[], query: string) => async () => {
      const found = await trailed(query);
      return ids.every((id) => found.has(id));
    };
    expect(await eventually(allIn(bystanderCalls, `userId=${bystander}`), 10_000)).toBe(true);
    expect(await eventually(allIn(oddCalls, `from=${since}`), 10_000)).toBe(true);

    const verified = await call('GET', '/audit/verify', { token: auditor });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, firstBrokenSequence: null, reason: null, reanchored: [] });
  });
});
