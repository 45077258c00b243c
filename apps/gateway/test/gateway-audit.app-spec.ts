import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AuditAction,
  AuditPattern,
  AuditRecordMessage,
  ErrorCode,
  KvException,
  NamespaceByIdRequest,
  NamespaceDescriptor,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { aPrincipal, anAdmin, scopedTo } from '../../../test/support/principals';
import { WITHHELD_READ_REPLY } from '../../../test/support/samples';
import { BootedGateway, bootGateway, plainDescriptor, publishedRecords, tokenFor } from './support/boot-gateway';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const SECRET_NS = '5e0c7a1d-2b3c-4d5e-8f60-718293a4b5c6';
const ENTRY_ID = '00000000-0000-4000-8000-000000000001';
/** Planted in every reply and request body: it must appear in no record. */
const PLANTED = 'planted-value-hunter2';
const secretDescriptor = (namespaceId: string): NamespaceDescriptor => ({
  ...plainDescriptor(namespaceId),
  isSecretNamespace: true,
  defaultTtlSeconds: null,
  maxSecretVersions: 5,
});
const entry = (key: string, namespaceId = NS) => ({
  id: ENTRY_ID,
  namespaceId,
  keyPath: key,
  value: PLANTED,
  valueType: 'STRING',
  version: 2,
  metadata: { note: PLANTED },
  expiresAt: null,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
});
const page = (namespaceId = NS) => ({ items: [entry('k', namespaceId)], nextCursor: null });

describe('gateway audit trail (in-process, broker mocked)', () => {
  let app: NestFastifyApplication;
  let send: jest.Mock;
  let secretsSend: jest.Mock;
  let auditSend: jest.Mock;
  let auditPublish: BootedGateway['auditPublish'];
  let describeNamespace: jest.Mock<Promise<NamespaceDescriptor>, [NamespaceByIdRequest]>;
  let admin: string;
  let reader: string;

  beforeAll(async () => {
    ({ app, send, secretsSend, auditSend, auditPublish, describeNamespace } = await bootGateway());
    describeNamespace.mockImplementation(({ namespaceId }) =>
      Promise.resolve(namespaceId === SECRET_NS ? secretDescriptor(namespaceId) : plainDescriptor(namespaceId)),
    );
    admin = await tokenFor(anAdmin({ id: 'alice' }));
    reader = await tokenFor(aPrincipal(['kv-entry:read'], { id: 'bob' }));
  });

  afterAll(async () => {
    // Every record of the whole file, whatever the test: never a value.
    expect(JSON.stringify(publishedRecords(auditPublish))).not.toContain(PLANTED);
    await app.close();
  });

  beforeEach(() => {
    send.mockReset();
    secretsSend.mockReset();
    auditSend.mockReset();
    auditPublish.mockClear();
    auditPublish.mockImplementation(() => Promise.resolve());
  });

  const inject = (options: { method?: string; url: string; token?: string; payload?: unknown; headers?: Record<string, string> }) =>
    app.inject({
      method: (options.method ?? 'GET') as 'GET',
      url: `/api/v1/kv${options.url}`,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload as object }),
    });
  const records = (): AuditRecordMessage[] => publishedRecords(auditPublish);
  const onlyRecord = (): AuditRecordMessage => {
    expect(records()).toHaveLength(1);
    return records()[0];
  };

  describe('successful reads', () => {
    it("records a secret namespace's keys-only listing as one LIST for the call, naming no secret, without holding the reply", async () => {
      const keysOnly = {
        items: ['db/password', 'db/user'].map((key) => {
          const { value: _value, ...state } = entry(key, SECRET_NS);
          return state;
        }),
        folders: ['db/old/'],
        nextCursor: null,
        revision: 3,
      };
      secretsSend.mockResolvedValue(keysOnly);
      // A broker that has not confirmed yet holds a reply that waits for its record: this one does not wait.
      const confirmations: Array<() => void> = [];
      auditPublish.mockImplementation(() => new Promise<void>((resolve) => confirmations.push(resolve)));
      const response = await inject({ url: `/${SECRET_NS}/entries?prefix=db/&values=false&delimiter=/`, token: admin });
      for (const confirm of confirmations) confirm();
      expect(response.statusCode).toBe(200);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.LIST,
        success: true,
        userId: 'alice',
        namespaceId: SECRET_NS,
        keyPath: null,
        entryId: null,
      });
    });

    it("records a secret's history of two versions as one READ of that secret, for the call", async () => {
      const version = (n: number) => ({
        version: n,
        valueType: 'STRING',
        change: n === 1 ? 'CREATE' : 'ROTATION',
        reason: PLANTED,
        restoredFrom: null,
        actorId: 'alice',
        createdAt: '2024-01-01T00:00:00Z',
      });
      secretsSend.mockResolvedValue({ items: [version(2), version(1)], nextCursor: null });
      const response = await inject({ url: `/${SECRET_NS}/entries/db/password/versions`, token: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json().items).toHaveLength(2);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.READ,
        success: true,
        namespaceId: SECRET_NS,
        keyPath: 'db/password',
        entryId: null,
      });
    });

    it('records a secret listing with values as one READ per secret it answered with, each with its key and entry id', async () => {
      const ids = [randomUUID(), randomUUID()];
      secretsSend.mockResolvedValue({
        items: [
          { ...entry('db/password', SECRET_NS), id: ids[0] },
          { ...entry('db/user', SECRET_NS), id: ids[1] },
        ],
        nextCursor: null,
        revision: 3,
      });
      expect((await inject({ url: `/${SECRET_NS}/entries?prefix=db/`, token: admin })).statusCode).toBe(200);
      expect(records().map((record) => [record.action, record.keyPath, record.entryId, record.namespaceId])).toEqual([
        [AuditAction.READ, 'db/password', ids[0], SECRET_NS],
        [AuditAction.READ, 'db/user', ids[1], SECRET_NS],
      ]);
    });

    it('records whoami as WHOAMI, with who and from where, and a refused one as anonymous', async () => {
      expect((await inject({ url: '/whoami', token: reader, headers: { 'x-request-id': 'sign-in-1' } })).statusCode).toBe(200);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.WHOAMI,
        success: true,
        userId: 'bob',
        requestId: 'sign-in-1',
        namespaceId: null,
        applicationId: null,
        clientAddress: expect.any(String),
      });
      auditPublish.mockClear();
      expect((await inject({ url: '/whoami', token: 'not-a-token' })).statusCode).toBe(401);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.WHOAMI,
        success: false,
        userId: 'anonymous',
        errorCode: ErrorCode.UNAUTHENTICATED,
      });
    });

    it('records an entry read on kv.audit, with who, where, which entry and the request', async () => {
      send.mockResolvedValue(entry('a/b'));
      const response = await inject({ url: `/${NS}/entries/a/b`, token: admin, headers: { 'x-request-id': 'trace-1' } });
      expect(response.statusCode).toBe(200);
      const record = onlyRecord();
      expect(record).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        occurredAt: expect.any(String),
        action: AuditAction.READ,
        success: true,
        userId: 'alice',
        applicationId: 'billing',
        namespaceId: NS,
        entryId: ENTRY_ID,
        keyPath: 'a/b',
        requestId: 'trace-1',
        clientAddress: '127.0.0.1',
        errorCode: null,
        eventType: null,
      });
      expect(auditPublish).toHaveBeenCalledWith([record], 2000);
    });

    it.each([
      [
        'entry list',
        'GET',
        `/${NS}/entries?prefix=a/`,
        undefined,
        page(),
        AuditAction.LIST,
        { namespaceId: NS, keyPath: null, entryId: null, applicationId: 'billing' },
      ],
      [
        'bulk get (one record per call)',
        'POST',
        `/${NS}/bulk/get`,
        { keys: ['a', 'b'] },
        { items: [entry('a')], missing: ['b'] },
        AuditAction.READ,
        { keyPath: null, entryId: null },
      ],
      [
        'secret read of an old version',
        'GET',
        `/${SECRET_NS}/entries/db/password?version=1`,
        undefined,
        entry('db/password', SECRET_NS),
        AuditAction.READ,
        { namespaceId: SECRET_NS, keyPath: 'db/password', entryId: ENTRY_ID },
      ],
      [
        'secret history',
        'GET',
        `/${SECRET_NS}/entries/db/password/versions`,
        undefined,
        { items: [], nextCursor: null },
        AuditAction.READ,
        { keyPath: 'db/password', entryId: null },
      ],
      [
        'namespace read',
        'GET',
        `/namespaces/${NS}`,
        undefined,
        { id: NS, name: 'n', applicationId: 'billing' },
        AuditAction.NAMESPACE_READ,
        { namespaceId: NS, applicationId: 'billing' },
      ],
      [
        'namespace list',
        'GET',
        '/namespaces',
        undefined,
        { items: [], nextCursor: null },
        AuditAction.NAMESPACE_READ,
        { namespaceId: null, applicationId: null },
      ],
    ])('records a %s', async (_label, method, url, payload, reply, action, fields) => {
      send.mockResolvedValue(reply);
      secretsSend.mockResolvedValue(reply);
      expect((await inject({ method, url, token: admin, payload })).statusCode).toBe(200);
      expect(onlyRecord()).toMatchObject({ action, success: true, userId: 'alice', errorCode: null, ...fields });
    });

    it.each([
      ['list', '/audit?action=READ&success=false&limit=5'],
      ['verify', '/audit/verify'],
    ])('records an audit %s as AUDIT_READ', async (_label, url) => {
      auditSend.mockResolvedValue({ items: [], nextCursor: null });
      expect((await inject({ url, token: admin })).statusCode).toBe(200);
      expect(onlyRecord()).toMatchObject({ action: AuditAction.AUDIT_READ, success: true });
    });
  });

  describe('successful changes are recorded by their services, not here', () => {
    it.each([
      ['PUT', `/${NS}/entries/k`, { value: PLANTED, valueType: 'STRING' }, { entry: entry('k'), created: true }],
      ['DELETE', `/${NS}/entries/k`, undefined, undefined],
      ['POST', `/${NS}/bulk/set`, { entries: [{ key: 'k', value: PLANTED, valueType: 'STRING' }] }, { items: [] }],
      ['POST', `/${NS}/bulk/delete`, { keys: ['k'] }, { deleted: ['k'], missing: [] }],
      ['POST', `/${SECRET_NS}/entries/k/rotate`, { value: PLANTED }, entry('k', SECRET_NS)],
      ['POST', `/${SECRET_NS}/entries/k/rollback`, { version: 1 }, entry('k', SECRET_NS)],
      ['POST', '/namespaces', { name: 'n', applicationId: 'billing' }, { id: NS }],
      ['PUT', `/namespaces/${NS}`, { name: 'n', applicationId: 'billing' }, { id: NS }],
      ['DELETE', `/namespaces/${NS}`, undefined, { deleted: true, namespace: plainDescriptor(NS) }],
    ])('%s %s publishes nothing', async (method, url, payload, reply) => {
      send.mockResolvedValue(reply);
      secretsSend.mockResolvedValue(reply);
      expect((await inject({ method, url, token: admin, payload })).statusCode).toBeLessThan(300);
      expect(auditPublish).not.toHaveBeenCalled();
    });

    it('but a bulk delete that deleted nothing, which no service records, is recorded here', async () => {
      send.mockResolvedValue({ deleted: [], missing: ['k'] });
      expect((await inject({ method: 'POST', url: `/${NS}/bulk/delete`, token: admin, payload: { keys: ['k'] } })).statusCode).toBe(200);
      expect(onlyRecord()).toMatchObject({ action: AuditAction.DELETE, success: true, namespaceId: NS });
    });
  });

  describe('refused and failed calls', () => {
    it("401: the route's action, by anonymous, before any service call", async () => {
      expect((await inject({ method: 'PUT', url: `/${NS}/entries/k`, payload: { value: PLANTED, valueType: 'STRING' } })).statusCode).toBe(
        401,
      );
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.WRITE,
        success: false,
        userId: 'anonymous',
        errorCode: ErrorCode.UNAUTHENTICATED,
        namespaceId: NS,
        keyPath: 'k',
        applicationId: null,
      });
      expect(send).not.toHaveBeenCalled();
    });

    it('401 with a forged token records anonymous, not the claimed subject', async () => {
      const forged = await tokenFor(anAdmin({ id: 'mallory' }), 'another-secret-another-secret-another-1');
      expect((await inject({ url: '/namespaces', token: forged })).statusCode).toBe(401);
      expect(onlyRecord()).toMatchObject({ action: AuditAction.NAMESPACE_READ, userId: 'anonymous', errorCode: ErrorCode.UNAUTHENTICATED });
    });

    it('403: who was refused, and what for', async () => {
      expect(
        (await inject({ method: 'POST', url: `/${SECRET_NS}/entries/db/password/rotate`, token: reader, payload: {} })).statusCode,
      ).toBe(403);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.ROTATE,
        success: false,
        userId: 'bob',
        errorCode: ErrorCode.FORBIDDEN,
        namespaceId: SECRET_NS,
        keyPath: 'db/password',
      });
    });

    it('403 on the audit routes without kv-audit:read', async () => {
      expect((await inject({ url: '/audit', token: reader })).statusCode).toBe(403);
      expect(onlyRecord()).toMatchObject({ action: AuditAction.AUDIT_READ, success: false, errorCode: ErrorCode.FORBIDDEN });
      expect(auditSend).not.toHaveBeenCalled();
    });

    it.each([
      [
        'an invalid key (not recorded)',
        'GET',
        `/${NS}/entries/a//b`,
        undefined,
        ErrorCode.INVALID_KEY,
        AuditAction.READ,
        { keyPath: null },
      ],
      [
        'a bad body',
        'PUT',
        `/${NS}/entries/k`,
        { value: PLANTED, valueType: 'NUMBER' },
        ErrorCode.INVALID_VALUE,
        AuditAction.WRITE,
        { keyPath: 'k' },
      ],
      [
        'a namespace id that is no UUID',
        'GET',
        '/nope/entries/k',
        undefined,
        ErrorCode.NAMESPACE_NOT_FOUND,
        AuditAction.READ,
        { namespaceId: null },
      ],
      ['an unknown route', 'GET', '/no/such/route', undefined, ErrorCode.ROUTE_NOT_FOUND, AuditAction.REQUEST, { userId: 'anonymous' }],
      [
        'a body over the limit',
        'PUT',
        `/${NS}/entries/k`,
        { value: PLANTED.repeat(1_000_000), valueType: 'STRING' },
        ErrorCode.PAYLOAD_TOO_LARGE,
        AuditAction.WRITE,
        { keyPath: 'k' },
      ],
    ])('4xx for %s', async (_label, method, url, payload, errorCode, action, fields) => {
      await inject({ method, url, token: admin, payload });
      expect(onlyRecord()).toMatchObject({ success: false, errorCode, action, ...fields });
      expect(send).not.toHaveBeenCalled();
    });

    /** The call's one record: a failure with `errorCode`, under the application its namespace resolved to. */
    const expectServiceFailureRecord = (action: AuditAction, errorCode: ErrorCode) =>
      expect(onlyRecord()).toMatchObject({ action, success: false, errorCode, applicationId: 'billing' });

    it("a service's refusal, with the application the call resolved", async () => {
      send.mockRejectedValue(new KvException(ErrorCode.VERSION_CONFLICT, 'version is 5'));
      expect(
        (await inject({ method: 'PUT', url: `/${NS}/entries/k`, token: admin, payload: { value: PLANTED, valueType: 'STRING' } }))
          .statusCode,
      ).toBe(409);
      expectServiceFailureRecord(AuditAction.WRITE, ErrorCode.VERSION_CONFLICT);
    });

    it('an unknown namespace: no application, and no extra call to find one', async () => {
      const ns = randomUUID();
      describeNamespace.mockRejectedValueOnce(new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${ns} not found`));
      describeNamespace.mockClear();
      expect((await inject({ url: `/${ns}/entries/k`, token: admin })).statusCode).toBe(404);
      expect(onlyRecord()).toMatchObject({
        action: AuditAction.READ,
        errorCode: ErrorCode.NAMESPACE_NOT_FOUND,
        namespaceId: ns,
        applicationId: null,
      });
      expect(describeNamespace).toHaveBeenCalledTimes(1);
    });

    it('a namespace of an application the caller may not see: recorded under that application', async () => {
      const outsider = await tokenFor(anAdmin({ id: 'mallory', applications: ['shipping'] }));
      expect((await inject({ url: `/${NS}/entries/k`, token: outsider })).statusCode).toBe(404);
      expect(onlyRecord()).toMatchObject({ userId: 'mallory', errorCode: ErrorCode.NAMESPACE_NOT_FOUND, applicationId: 'billing' });
    });

    it('5xx: an unavailable service', async () => {
      secretsSend.mockRejectedValue(new KvException(ErrorCode.MASTER_KEY_UNAVAILABLE, 'master key k2 unavailable'));
      expect((await inject({ url: `/${SECRET_NS}/entries/k`, token: admin })).statusCode).toBe(503);
      expectServiceFailureRecord(AuditAction.READ, ErrorCode.MASTER_KEY_UNAVAILABLE);
    });

    it('a failure record that cannot be published does not change the answer', async () => {
      auditPublish.mockRejectedValue(new Error('timeout'));
      expect((await inject({ url: '/namespaces' })).statusCode).toBe(401);
    });

    it('health and the API documents are not audited', async () => {
      for (const url of ['/health/live', '/health/ready', '/openapi.json', '/swagger-ui', '/swagger-ui/package.json'])
        await inject({ url });
      expect(auditPublish).not.toHaveBeenCalled();
    });
  });

  describe("a secret's value leaves only once its read is recorded", () => {
    const valueReads = [
      ['GET', `/${SECRET_NS}/entries/db/password`, undefined, entry('db/password', SECRET_NS)],
      ['GET', `/${SECRET_NS}/entries/db/password?version=1`, undefined, entry('db/password', SECRET_NS)],
      ['GET', `/${SECRET_NS}/entries`, undefined, page(SECRET_NS)],
      ['POST', `/${SECRET_NS}/bulk/get`, { keys: ['db/password'] }, page(SECRET_NS)],
    ] as const;

    it.each(valueReads)('%s %s waits for the broker to confirm its record', async (method, url, payload, reply) => {
      secretsSend.mockResolvedValue(reply);
      let confirm!: () => void;
      auditPublish.mockReturnValueOnce(new Promise<void>((resolve) => (confirm = resolve)));
      let answered = false;
      const response = inject({ method, url, token: admin, payload }).then((result) => {
        answered = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(auditPublish).toHaveBeenCalledTimes(1);
      expect(answered).toBe(false);
      confirm();
      expect((await response).statusCode).toBe(200);
    });

    it('records each secret a bulk read answered with, and waits for all of them', async () => {
      secretsSend.mockResolvedValue({ items: [entry('db/user', SECRET_NS), entry('db/password', SECRET_NS)], missing: ['db/host'] });
      const response = await inject({
        method: 'POST',
        url: `/${SECRET_NS}/bulk/get`,
        token: admin,
        payload: { keys: ['db/user', 'db/password', 'db/host'] },
      });
      expect(response.statusCode).toBe(200);
      expect(records().map((record) => [record.action, record.keyPath, record.entryId])).toEqual([
        [AuditAction.READ, 'db/user', entry('db/user', SECRET_NS).id],
        [AuditAction.READ, 'db/password', entry('db/password', SECRET_NS).id],
      ]);
      expect(new Set(records().map((record) => record.id)).size).toBe(2);
    });

    it.each(valueReads)('%s %s answers 503 without the value when the record is not confirmed', async (method, url, payload, reply) => {
      secretsSend.mockResolvedValue(reply);
      auditPublish.mockRejectedValue(new Error('timeout'));
      const response = await inject({ method, url, token: admin, payload });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual(WITHHELD_READ_REPLY);
      expect(response.body).not.toContain(PLANTED);
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
      // The failure is recorded too, in the background (after the trail's linger), with the same request id.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(records().filter((record) => !record.success)).toEqual([
        expect.objectContaining({ errorCode: ErrorCode.SERVICE_UNAVAILABLE, requestId: response.headers['x-request-id'], userId: 'alice' }),
      ]);
    });

    it("a plain namespace's value does not wait: it is answered even when the record is lost", async () => {
      send.mockResolvedValue(entry('k'));
      auditPublish.mockRejectedValue(new Error('timeout'));
      const response = await inject({ url: `/${NS}/entries/k`, token: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json().value).toBe(PLANTED);
    });

    it('concurrent secret reads are confirmed together, not one after another', async () => {
      secretsSend.mockResolvedValue(entry('db/password', SECRET_NS));
      const confirms: Array<() => void> = [];
      auditPublish.mockImplementation(() => new Promise<void>((resolve) => confirms.push(resolve)));
      const responses = Promise.all([1, 2, 3].map(() => inject({ url: `/${SECRET_NS}/entries/db/password`, token: admin })));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // All three records are out before any confirm: in one message or several, none waits for another.
      expect(records().filter((record) => record.action === AuditAction.READ)).toHaveLength(3);
      expect(confirms.length).toBeGreaterThanOrEqual(1);
      confirms.forEach((confirm) => confirm());
      expect((await responses).map((response) => response.statusCode)).toEqual([200, 200, 200]);
    });
  });

  describe('audit queries', () => {
    it('forwards the list with its query to the audit service', async () => {
      auditSend.mockResolvedValue({ items: [], nextCursor: null });
      const url = `/audit?namespaceId=${NS}&keyPath=db/password&action=READ&userId=bob&success=false&from=2026-01-01T00:00:00Z&limit=10&cursor=abc`;
      const response = await inject({ url, token: admin, headers: { 'x-request-id': 'trace-2' } });
      expect(response.json()).toEqual({ items: [], nextCursor: null });
      expect(auditSend).toHaveBeenCalledWith(AuditPattern.LIST, {
        actor: expect.objectContaining({ id: 'alice' }),
        requestId: 'trace-2',
        clientAddress: '127.0.0.1',
        query: {
          namespaceId: NS,
          keyPath: 'db/password',
          action: 'READ',
          userId: 'bob',
          success: false,
          from: '2026-01-01T00:00:00Z',
          limit: 10,
          cursor: 'abc',
        },
      });
    });

    it('lets kv-audit:read scoped to a namespace query that namespace, forwarded in the one spelling its grant names', async () => {
      const scoped = await tokenFor(scopedTo(NS, ['kv-audit:read'], { id: 'carol' }));
      auditSend.mockResolvedValue({ items: [], nextCursor: null });
      for (const spelling of [NS, NS.toUpperCase()]) {
        expect((await inject({ url: `/audit?namespaceId=${spelling}&action=READ`, token: scoped })).statusCode).toBe(200);
      }
      expect(auditSend.mock.calls.map(([, request]) => (request as { query: unknown }).query)).toEqual([
        { namespaceId: NS, action: 'READ' },
        { namespaceId: NS, action: 'READ' },
      ]);
    });

    it('refuses kv-audit:read scoped to a namespace a query of all namespaces, of another one, and verify, with 403', async () => {
      const scoped = await tokenFor(scopedTo(NS, ['kv-audit:read'], { id: 'carol' }));
      for (const url of [
        '/audit',
        `/audit?namespaceId=${SECRET_NS}`,
        `/audit?namespaceId=${NS}&namespaceId=${SECRET_NS}`,
        '/audit/verify',
      ]) {
        const response = await inject({ url, token: scoped });
        expect({ url, status: response.statusCode, code: response.json().code }).toEqual({ url, status: 403, code: ErrorCode.FORBIDDEN });
      }
      expect(auditSend).not.toHaveBeenCalled();
    });

    it('forwards verify', async () => {
      auditSend.mockResolvedValue({ ok: true, checked: 3, firstBrokenSequence: null, reason: null });
      expect((await inject({ url: '/audit/verify', token: admin })).json()).toMatchObject({ ok: true, checked: 3 });
      expect(auditSend).toHaveBeenCalledWith(
        AuditPattern.VERIFY,
        expect.objectContaining({ actor: expect.objectContaining({ id: 'alice' }) }),
      );
    });

    it('refuses a bad filter before asking the audit service', async () => {
      for (const query of ['action=PEEK', 'success=maybe', 'from=yesterday', 'namespaceId=nope', 'limit=0']) {
        const response = await inject({ url: `/audit?${query}`, token: admin });
        expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
      }
      expect(auditSend).not.toHaveBeenCalled();
    });

    it('the audit routes do not shadow the namespace routes, nor the other way round', async () => {
      send.mockResolvedValue(page());
      expect((await inject({ url: `/${NS}/entries`, token: admin })).statusCode).toBe(200);
      // "audit" is no namespace id: refused as one, never sent to a service.
      expect((await inject({ url: '/audit/entries', token: admin })).json().code).toBe(ErrorCode.NAMESPACE_NOT_FOUND);
      expect(auditSend).not.toHaveBeenCalled();
    });

    it("answers the audit service's error with its code", async () => {
      auditSend.mockRejectedValue(new KvException(ErrorCode.INVALID_CURSOR, 'invalid cursor'));
      expect((await inject({ url: '/audit?cursor=zzz', token: admin })).json()).toMatchObject({
        statusCode: 400,
        code: ErrorCode.INVALID_CURSOR,
      });
      expect(onlyRecord()).toMatchObject({ action: AuditAction.AUDIT_READ, success: false, errorCode: ErrorCode.INVALID_CURSOR });
    });
  });
});
