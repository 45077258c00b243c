import { Logger } from '@nestjs/common';
import { AUDIT_RECORD_ROUTING_KEY, AuditAction, AuditRecordMessage, KV_AUDIT_EXCHANGE } from '@app/contracts';
import { AuditPublisher, AuditTrail } from './audit-trail';

const record: AuditRecordMessage = {
  id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10', occurredAt: '2026-11-22T12:00:00.000Z', action: AuditAction.READ, success: true,
  userId: 'alice', applicationId: 'billing', namespaceId: null, entryId: null, keyPath: 'k', requestId: 'req-1', clientAddress: null,
  errorCode: null, eventType: null,
};

describe('AuditTrail', () => {
  const publisherWith = (publishJson: AuditPublisher['publishJson']) => ({ publishJson: jest.fn(publishJson), close: jest.fn(() => Promise.resolve()) });

  afterEach(() => jest.restoreAllMocks());

  it('publishes a record on kv.audit, its id as message id, with the confirm timeout', async () => {
    const publisher = publisherWith(() => Promise.resolve());
    await new AuditTrail(publisher, 1500).record(record);
    expect(publisher.publishJson).toHaveBeenCalledWith(KV_AUDIT_EXCHANGE, AUDIT_RECORD_ROUTING_KEY, record, { messageId: record.id, timeoutMs: 1500 });
  });

  it('rejects when the broker does not confirm', async () => {
    await expect(new AuditTrail(publisherWith(() => Promise.reject(new Error('timeout'))), 100).record(record)).rejects.toThrow('timeout');
  });

  it('in the background, logs a lost record by its id and action instead of failing the call', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new AuditTrail(publisherWith(() => Promise.reject(new Error('timeout'))), 100).recordInBackground(record);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`audit record ${record.id} lost (READ, success=true, requestId=req-1): timeout`));
  });

  it('closes its publisher on shutdown', async () => {
    const publisher = publisherWith(() => Promise.resolve());
    await new AuditTrail(publisher, 100).onApplicationShutdown();
    expect(publisher.close).toHaveBeenCalled();
  });
});
