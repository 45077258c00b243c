import { AuditAction, KvEventType, auditRecordOfEvent } from '@app/contracts';
import { parseAuditMessage } from './audit-message';

const valid = {
  id: '6F1C0A52-3D55-4F7E-9D0B-0C3B1F2A9E10',
  occurredAt: '2026-11-22T13:00:00.123456+01:00',
  action: AuditAction.READ,
  success: false,
  userId: 'reader',
  applicationId: 'billing',
  namespaceId: '8A2676CF-37C4-4523-9BD1-B0A75C8948D0',
  keyPath: 'db/password',
  requestId: 'req-9',
  clientAddress: '10.0.0.9',
  errorCode: 'FORBIDDEN',
};

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('parseAuditMessage', () => {
  it('normalizes a valid record as Postgres will give it back: lower-case ids, millisecond UTC instants, nulls for absent fields', () => {
    expect(parseAuditMessage(body(valid))).toEqual({
      ok: true,
      records: [{
        id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
        occurredAt: '2026-11-22T12:00:00.123Z',
        action: AuditAction.READ,
        success: false,
        userId: 'reader',
        applicationId: 'billing',
        namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
        entryId: null,
        keyPath: 'db/password',
        requestId: 'req-9',
        clientAddress: '10.0.0.9',
        errorCode: 'FORBIDDEN',
        eventType: null,
      }],
    });
  });

  it('takes a batch: an array of records, all of them valid', () => {
    const second = { ...valid, id: '7f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10' };
    const parsed = parseAuditMessage(body([valid, second]));
    expect(parsed.ok && parsed.records.map((record) => record.id)).toEqual([valid.id.toLowerCase(), second.id]);
  });

  it('accepts what the producers build from events', () => {
    const event = {
      id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10', type: KvEventType.ENTRY_DELETED, occurredAt: '2026-11-22T12:00:00.000Z',
      applicationId: 'billing', namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0', entryId: '45ac32a3-431c-45c3-80cf-a3ce665be280',
      keyPath: 'k', version: 3, actor: 'deployer', requestId: null, schemaVersion: 1 as const,
    };
    expect(parseAuditMessage(body(auditRecordOfEvent(event, null)))).toMatchObject({ ok: true, records: [{ action: AuditAction.DELETE, eventType: KvEventType.ENTRY_DELETED }] });
  });

  it('drops fields the contract does not know', () => {
    const parsed = parseAuditMessage(body({ ...valid, value: 'never-stored' }));
    expect(parsed.ok && JSON.stringify(parsed.records)).not.toContain('never-stored');
  });

  it.each([
    ['not JSON', Buffer.from('{"id":'), 'not JSON'],
    ['an empty batch', body([]), 'a batch must hold 1 to 500 records, not 0'],
    ['a batch with one bad record', body([valid, { ...valid, id: 'nope' }]), 'record 1: invalid id'],
    ['a batch of a batch', body([[valid]]), 'record 0: not a JSON object'],
    ['JSON null', body(null), 'not a JSON object'],
    ['a bad id', body({ ...valid, id: 'nope' }), 'invalid id'],
    ['an unknown action', body({ ...valid, action: 'HACK' }), 'invalid action'],
    ['no user', body({ ...valid, userId: undefined }), 'invalid userId'],
    ['a week date', body({ ...valid, occurredAt: '2026-W47' }), 'invalid occurredAt'],
  ])('refuses %s, naming fields but never their content', (_name, content, reason) => {
    expect(parseAuditMessage(content)).toEqual({ ok: false, reason });
  });
});
