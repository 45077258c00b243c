import { randomUUID } from 'node:crypto';
import { call, createNamespace, tokenFor, uniqueName, useTokens } from './support/api';
import { eventually } from './support/workload';
import { anAdmin, anAuditor, aPrincipal, scopedTo } from './support/principals';

/** The audit trail end to end: gateway and services publish, the audit service stores, the gateway answers queries. */
describe('audit trail', () => {
  const tokens = useTokens({ admin: anAdmin({ id: 'audit-admin' }), auditor: anAuditor() });
  const applicationId = uniqueName('audited');

  const recordsOf = async (query: string) =>
    (await call('GET', `/audit?${query}`, { token: tokens.auditor })).body.items as Array<Record<string, unknown>>;

  it('records changes, reads and refused calls, with who, what, where and the request, and never a value', async () => {
    const ns = (await createNamespace(tokens.admin, { applicationId, isSecretNamespace: true })).id;
    const planted = `planted-audit-${randomUUID()}`;
    const ids = { write: randomUUID(), read: randomUUID(), denied: randomUUID(), anonymous: randomUUID() };
    const reader = await tokenFor(aPrincipal(['kv-entry:read'], { id: 'reader', applications: [applicationId] }));

    expect(
      (
        await call('PUT', `/${ns}/entries/db/pass`, {
          token: tokens.admin,
          headers: { 'x-request-id': ids.write },
          body: { value: planted, valueType: 'STRING' },
        })
      ).status,
    ).toBe(201);
    expect((await call('GET', `/${ns}/entries/db/pass`, { token: reader, headers: { 'x-request-id': ids.read } })).status).toBe(200);
    expect((await call('DELETE', `/${ns}/entries/db/pass`, { token: reader, headers: { 'x-request-id': ids.denied } })).status).toBe(403);
    expect((await call('GET', `/${ns}/entries/db/pass`, { headers: { 'x-request-id': ids.anonymous } })).status).toBe(401);

    const byRequest = async () => {
      const items = await recordsOf(`namespaceId=${ns}&limit=50`);
      return new Map(items.map((item) => [item.requestId as string, item]));
    };
    const arrived = async (...requestIds: string[]) => {
      const records = await byRequest();
      return requestIds.every((requestId) => records.has(requestId));
    };
    expect(await eventually(() => arrived(ids.write, ids.read, ids.denied), 10_000)).toBe(true);
    const records = await byRequest();
    expect(records.get(ids.write)).toMatchObject({
      action: 'WRITE',
      success: true,
      userId: 'audit-admin',
      applicationId,
      keyPath: 'db/pass',
      eventType: 'kv.entry.created',
    });
    expect(records.get(ids.read)).toMatchObject({ action: 'READ', success: true, userId: 'reader', keyPath: 'db/pass' });
    expect(records.get(ids.denied)).toMatchObject({ action: 'DELETE', success: false, userId: 'reader', errorCode: 'FORBIDDEN' });
    expect(records.get(ids.write)!.clientAddress).toEqual(expect.any(String));

    // A call without a valid token has no application: only auditors of every application see it.
    expect(
      await eventually(
        async () => (await recordsOf('userId=anonymous&limit=200')).some((item) => item.requestId === ids.anonymous),
        10_000,
      ),
    ).toBe(true);
    expect(JSON.stringify(await recordsOf(`namespaceId=${ns}&limit=50`))).not.toContain(planted);

    const filtered = await recordsOf(`namespaceId=${ns}&action=READ&success=true`);
    expect(filtered.map((item) => item.requestId)).toEqual([ids.read]);
  });

  it('records each secret a bulk read answered with', async () => {
    const ns = (await createNamespace(tokens.admin, { applicationId, isSecretNamespace: true })).id;
    await call('POST', `/${ns}/bulk/set`, {
      token: tokens.admin,
      body: {
        entries: [
          { key: 'a', value: 'x', valueType: 'STRING' },
          { key: 'b', value: 'y', valueType: 'STRING' },
        ],
      },
    });
    const requestId = randomUUID();
    expect(
      (
        await call('POST', `/${ns}/bulk/get`, {
          token: tokens.admin,
          headers: { 'x-request-id': requestId },
          body: { keys: ['a', 'b', 'c'] },
        })
      ).status,
    ).toBe(200);
    const reads = async () => (await recordsOf(`namespaceId=${ns}&action=READ`)).filter((item) => item.requestId === requestId);
    expect(await eventually(async () => (await reads()).length === 2, 10_000)).toBe(true);
    expect((await reads()).map((item) => item.keyPath).sort()).toEqual(['a', 'b']);
  });

  it("pages newest first, scopes to the caller's applications, and needs kv-audit:read", async () => {
    const ns = (await createNamespace(tokens.admin, { applicationId })).id;
    for (let i = 0; i < 5; i++) await call('PUT', `/${ns}/entries/k${i}`, { token: tokens.admin, body: { value: i, valueType: 'NUMBER' } });
    expect(await eventually(async () => (await recordsOf(`namespaceId=${ns}&action=WRITE`)).length === 5, 10_000)).toBe(true);

    const first = await call('GET', `/audit?namespaceId=${ns}&action=WRITE&limit=3`, { token: tokens.auditor });
    const second = await call('GET', `/audit?namespaceId=${ns}&action=WRITE&limit=3&cursor=${first.body.nextCursor}`, {
      token: tokens.auditor,
    });
    const keys = [...first.body.items, ...second.body.items].map((item: { keyPath: string }) => item.keyPath);
    expect(keys).toEqual(['k4', 'k3', 'k2', 'k1', 'k0']);
    expect(second.body.nextCursor).toBeNull();

    const otherAuditor = await tokenFor(anAuditor({ id: 'other-auditor', applications: ['another-app'] }));
    expect((await call('GET', `/audit?namespaceId=${ns}`, { token: otherAuditor })).body.items).toEqual([]);
    const notAnAuditor = await call('GET', `/audit?namespaceId=${ns}`, { token: await tokenFor(aPrincipal(['kv-entry:*'])) });
    expect(notAnAuditor.status).toBe(403);
    expect((await call('GET', '/audit/verify', { token: otherAuditor })).status).toBe(403);
  });

  it("lets kv-audit:read scoped to a namespace list that namespace's records, and nothing else", async () => {
    const [ns, other] = [
      (await createNamespace(tokens.admin, { applicationId })).id,
      (await createNamespace(tokens.admin, { applicationId })).id,
    ];
    for (const namespace of [ns, other])
      await call('PUT', `/${namespace}/entries/k`, { token: tokens.admin, body: { value: 1, valueType: 'NUMBER' } });
    expect(await eventually(async () => (await recordsOf(`namespaceId=${other}&action=WRITE`)).length === 1, 10_000)).toBe(true);
    const scoped = await tokenFor(scopedTo(ns, ['kv-audit:read'], { id: 'scoped-auditor', applications: [applicationId] }));

    const own = await call('GET', `/audit?namespaceId=${ns.toUpperCase()}`, { token: scoped });
    expect(own.status).toBe(200);
    expect(own.body.items.map((item: { namespaceId: string; action: string }) => [item.namespaceId, item.action])).toContainEqual([
      ns,
      'WRITE',
    ]);
    expect(own.body.items.every((item: { namespaceId: string }) => item.namespaceId === ns)).toBe(true);
    for (const path of ['/audit', `/audit?namespaceId=${other}`, '/audit/verify']) {
      const refused = await call('GET', path, { token: scoped });
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
  });

  it('verifies the hash chain', async () => {
    const verified = await call('GET', '/audit/verify', { token: tokens.auditor });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, firstBrokenSequence: null, reason: null });
    expect(verified.body.checked).toBeGreaterThan(0);
  });
});
