import { AUDIT_ACTIONS, AuditAction, AuditRecordMessage, ErrorCode, NamespaceDescriptor } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ANONYMOUS_USER_ID,
  AuditedCall,
  auditRecordOf,
  auditedCallOf,
  changedNothing,
  failedCallOf,
  isChange,
  mustConfirmBeforeReply,
  readRecordsOf,
} from './audit-record.mapping';
import type { AuditedRoute } from './audited.decorator';
import { aPrincipal, anAdmin } from '../../../../test/support/principals';
import { aNamespaceDescriptor } from '../../../../test/support/samples';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const ENTRY_ID = '00000000-0000-4000-8000-000000000001';
const PLANTED = 'planted-value-hunter2';
const secretNamespace = aNamespaceDescriptor({ id: NS, isSecretNamespace: true, maxSecretVersions: 5 });

type FakeRequest = Parameters<typeof failedCallOf>[0];

function request(overrides: Partial<Record<keyof FakeRequest, unknown>> & { url: string }): FakeRequest {
  return {
    principal: anAdmin({ id: 'alice' }),
    id: 'req-1',
    ip: '10.0.0.7',
    method: 'GET',
    params: {},
    routeOptions: { config: {} },
    is404: false,
    ...overrides,
  } as unknown as FakeRequest;
}

const isValidRecord = (record: AuditRecordMessage) => validateSync(plainToInstance(AuditRecordMessage, record)).length === 0;

describe('auditedCallOf', () => {
  it('takes the user, request id, client address, namespace and key of the request', () => {
    const call = auditedCallOf(request({ url: `/api/v1/kv/${NS}/entries/a/b`, params: { nsId: NS, '*': 'a/b' } }), AuditAction.READ);
    expect(call).toEqual({
      action: AuditAction.READ,
      userId: 'alice',
      requestId: 'req-1',
      clientAddress: '10.0.0.7',
      namespaceId: NS,
      keyPath: 'a/b',
      namespace: null,
    });
  });

  it('names an unauthenticated caller anonymous', () => {
    expect(auditedCallOf(request({ url: '/api/v1/kv/namespaces', principal: undefined }), AuditAction.NAMESPACE_READ).userId).toBe(
      ANONYMOUS_USER_ID,
    );
  });

  it('takes the key before an operation segment, and the key itself with ?version', () => {
    const rotate = request({
      method: 'POST',
      url: `/api/v1/kv/${NS}/entries/db/password/rotate`,
      params: { nsId: NS, '*': 'db/password/rotate' },
    });
    expect(auditedCallOf(rotate, AuditAction.ROTATE).keyPath).toBe('db/password');
    const version = request({ url: `/api/v1/kv/${NS}/entries/db/password?version=2`, params: { nsId: NS, '*': 'db/password' } });
    expect(auditedCallOf(version, AuditAction.READ).keyPath).toBe('db/password');
  });

  it('records no key on a route of several entries, and no invalid key or namespace id', () => {
    expect(
      auditedCallOf(request({ method: 'POST', url: `/api/v1/kv/${NS}/bulk/get`, params: { nsId: NS } }), AuditAction.READ).keyPath,
    ).toBeNull();
    const invalid = auditedCallOf(
      request({ url: '/api/v1/kv/nope/entries/a//b', params: { nsId: 'nope', '*': 'a//b' } }),
      AuditAction.READ,
    );
    expect(invalid).toMatchObject({ namespaceId: null, keyPath: null });
  });

  it('takes the namespace the call noted', () => {
    const call = auditedCallOf(
      request({ url: `/api/v1/kv/${NS}/entries`, params: { nsId: NS }, auditNotes: { namespace: secretNamespace } }),
      AuditAction.LIST,
    );
    expect(call.namespace).toBe(secretNamespace);
  });

  it('cuts a user id longer than the record allows', () => {
    const long = request({ url: '/api/v1/kv/namespaces', principal: aPrincipal([], { id: 'u'.repeat(300), applications: [] }) });
    expect(auditedCallOf(long, AuditAction.NAMESPACE_READ).userId).toHaveLength(256);
  });
});

describe('failedCallOf', () => {
  const audited = (action: AuditAction): { config: { audit: AuditedRoute } } => ({ config: { audit: { action, revealsValues: false } } });

  it("takes an audited route's action, whatever refused the call", () => {
    const refused = request({
      method: 'PUT',
      url: `/api/v1/kv/${NS}/entries/k`,
      principal: undefined,
      params: { nsId: NS, '*': 'k' },
      routeOptions: audited(AuditAction.WRITE),
    });
    expect(failedCallOf(refused)).toMatchObject({ action: AuditAction.WRITE, userId: ANONYMOUS_USER_ID, namespaceId: NS, keyPath: 'k' });
  });

  it('records a request that matched no route as REQUEST', () => {
    expect(failedCallOf(request({ url: '/api/v1/kv/no/such/route', is404: true, routeOptions: {} }))).toMatchObject({
      action: AuditAction.REQUEST,
    });
  });

  it('does not audit a route without a declaration (health, the API documents)', () => {
    expect(failedCallOf(request({ url: '/api/v1/kv/health/ready' }))).toBeNull();
  });
});

describe('auditRecordOf', () => {
  const identity = { id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10', occurredAt: '2026-11-22T12:00:00.000Z' };
  const call = (overrides: Partial<AuditedCall> = {}): AuditedCall => ({
    action: AuditAction.READ,
    userId: 'alice',
    requestId: 'req-1',
    clientAddress: '10.0.0.7',
    namespaceId: NS,
    keyPath: 'db/password',
    namespace: secretNamespace,
    ...overrides,
  });
  const entry = {
    id: ENTRY_ID,
    namespaceId: NS,
    keyPath: 'db/password',
    value: PLANTED,
    valueType: 'STRING',
    version: 3,
    metadata: { note: PLANTED },
  };

  it("records a successful read with the entry's id and the namespace's application, and never the value", () => {
    const record = auditRecordOf(call(), { success: true, reply: entry }, identity);
    expect(record).toEqual({
      ...identity,
      action: AuditAction.READ,
      success: true,
      userId: 'alice',
      applicationId: 'billing',
      namespaceId: NS,
      entryId: ENTRY_ID,
      keyPath: 'db/password',
      requestId: 'req-1',
      clientAddress: '10.0.0.7',
      errorCode: null,
      eventType: null,
    });
    expect(JSON.stringify(record)).not.toContain(PLANTED);
    expect(isValidRecord(record)).toBe(true);
  });

  it('takes no entry id from a reply of several entries, and no value from it either', () => {
    const record = auditRecordOf(
      call({ action: AuditAction.LIST, keyPath: null }),
      { success: true, reply: { items: [entry], nextCursor: null } },
      identity,
    );
    expect(record.entryId).toBeNull();
    expect(JSON.stringify(record)).not.toContain(PLANTED);
  });

  it("takes the application from a namespace's own reply when the call resolved none", () => {
    const namespaceRead = call({ action: AuditAction.NAMESPACE_READ, keyPath: null, namespace: null });
    expect(auditRecordOf(namespaceRead, { success: true, reply: { id: NS, applicationId: 'payroll' } }, identity).applicationId).toBe(
      'payroll',
    );
    expect(
      auditRecordOf(namespaceRead, { success: true, reply: { id: 'other', applicationId: 'payroll' } }, identity).applicationId,
    ).toBeNull();
  });

  it('records a failure with its error code, as a valid message', () => {
    const record = auditRecordOf(
      call({ namespace: null, userId: ANONYMOUS_USER_ID }),
      { success: false, errorCode: ErrorCode.UNAUTHENTICATED },
      identity,
    );
    expect(record).toMatchObject({
      success: false,
      errorCode: ErrorCode.UNAUTHENTICATED,
      applicationId: null,
      entryId: null,
      userId: 'anonymous',
    });
    expect(isValidRecord(record)).toBe(true);
  });

  it('gives every record a fresh id and the current time by default', () => {
    const [first, second] = [
      auditRecordOf(call(), { success: true, reply: entry }),
      auditRecordOf(call(), { success: true, reply: entry }),
    ];
    expect(first.id).not.toBe(second.id);
    expect(isValidRecord(first)).toBe(true);
  });
});

describe('isChange', () => {
  it('tells the changes, recorded by their services, from the reads and the rest', () => {
    const changes = AUDIT_ACTIONS.filter(isChange).sort();
    expect(changes).toEqual([
      'DELETE',
      'EXPIRE',
      'NAMESPACE_CREATE',
      'NAMESPACE_DELETE',
      'NAMESPACE_UPDATE',
      'ROLLBACK',
      'ROTATE',
      'WRITE',
    ]);
  });
});

describe('readRecordsOf', () => {
  const listCall = (namespace: NamespaceDescriptor): AuditedCall => ({
    action: AuditAction.LIST,
    userId: 'alice',
    requestId: 'req-1',
    clientAddress: null,
    namespaceId: NS,
    keyPath: null,
    namespace,
  });
  const item = (keyPath: string) => ({ id: ENTRY_ID, namespaceId: NS, keyPath, value: PLANTED, valueType: 'STRING', version: 1 });

  it('gives a secret list that answered values one READ per secret it answered with', () => {
    const records = readRecordsOf(listCall(secretNamespace), { items: [item('a'), item('b')], nextCursor: null }, true);
    expect(records.map((record) => [record.action, record.keyPath, record.entryId])).toEqual([
      [AuditAction.READ, 'a', ENTRY_ID],
      [AuditAction.READ, 'b', ENTRY_ID],
    ]);
    expect(JSON.stringify(records)).not.toContain(PLANTED);
    expect(records.every(isValidRecord)).toBe(true);
  });

  it('gives a plain list, or an empty secret one, one record for the call', () => {
    expect(readRecordsOf(listCall({ ...secretNamespace, isSecretNamespace: false }), { items: [item('a'), item('b')] }, true)).toHaveLength(
      1,
    );
    expect(readRecordsOf(listCall(secretNamespace), { items: [] }, true)).toEqual([
      expect.objectContaining({ action: AuditAction.LIST, keyPath: null, entryId: null }),
    ]);
  });

  it('gives a secret listing that answered no value (keys only, or a history) one record for the call, naming no secret', () => {
    const keysOnly = { items: [item('a'), item('b')].map(({ value: _value, ...rest }) => rest), folders: ['c/'], nextCursor: null };
    expect(readRecordsOf(listCall(secretNamespace), keysOnly, false)).toEqual([
      expect.objectContaining({ action: AuditAction.LIST, keyPath: null, entryId: null, namespaceId: NS }),
    ]);
  });
});

describe('changedNothing', () => {
  it('is true only for a bulk delete that deleted nothing', () => {
    expect(changedNothing({ deleted: [], missing: ['a'] })).toBe(true);
    expect(changedNothing({ deleted: ['a'], missing: [] })).toBe(false);
    expect(changedNothing({ entry: {}, created: true })).toBe(false);
    expect(changedNothing(undefined)).toBe(false);
  });
});

describe('mustConfirmBeforeReply', () => {
  const reveals: AuditedRoute = { action: AuditAction.READ, revealsValues: true };
  const withNamespace = (namespace: NamespaceDescriptor | null) => ({ namespace }) as AuditedCall;

  it("holds a reply with a secret namespace's values until its record is confirmed", () => {
    expect(mustConfirmBeforeReply(reveals, withNamespace(secretNamespace))).toBe(true);
  });

  it("lets a plain namespace's values, and a secret's history (no values), go at once", () => {
    expect(mustConfirmBeforeReply(reveals, withNamespace({ ...secretNamespace, isSecretNamespace: false }))).toBe(false);
    expect(mustConfirmBeforeReply({ ...reveals, revealsValues: false }, withNamespace(secretNamespace))).toBe(false);
  });

  it('holds values of a namespace the call did not note (fail closed)', () => {
    expect(mustConfirmBeforeReply(reveals, withNamespace(null))).toBe(true);
  });
});
