import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { KV_EVENT_TYPES, KvEvent, KvEventType } from '../events/kv-event';
import { AuditAction, AuditRecordMessage, auditRecordOfEvent } from './audit-record';

const event = (type: KvEventType): KvEvent => ({
  id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
  type,
  occurredAt: '2026-11-22T12:00:00.000Z',
  applicationId: 'billing',
  namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
  entryId: '45ac32a3-431c-45c3-80cf-a3ce665be280',
  keyPath: 'database/port',
  version: 2,
  actor: 'deployer',
  requestId: 'req-1',
  schemaVersion: 1,
});

describe('auditRecordOfEvent', () => {
  it.each([
    [KvEventType.ENTRY_CREATED, AuditAction.WRITE],
    [KvEventType.ENTRY_UPDATED, AuditAction.WRITE],
    [KvEventType.ENTRY_DELETED, AuditAction.DELETE],
    [KvEventType.ENTRY_EXPIRED, AuditAction.EXPIRE],
    [KvEventType.SECRET_ROTATED, AuditAction.ROTATE],
    [KvEventType.SECRET_ROLLED_BACK, AuditAction.ROLLBACK],
    [KvEventType.NAMESPACE_CREATED, AuditAction.NAMESPACE_CREATE],
    [KvEventType.NAMESPACE_UPDATED, AuditAction.NAMESPACE_UPDATE],
    [KvEventType.NAMESPACE_DELETED, AuditAction.NAMESPACE_DELETE],
  ])('records %s as %s, with the event id and the client address', (type, action) => {
    const record = auditRecordOfEvent(event(type), '10.0.0.7');
    expect(record).toMatchObject({
      id: event(type).id,
      action,
      success: true,
      userId: 'deployer',
      clientAddress: '10.0.0.7',
      eventType: type,
    });
  });

  it('gives a valid message for every event type', () => {
    for (const type of KV_EVENT_TYPES) {
      expect(validateSync(plainToInstance(AuditRecordMessage, auditRecordOfEvent(event(type), null)))).toEqual([]);
    }
  });
});
