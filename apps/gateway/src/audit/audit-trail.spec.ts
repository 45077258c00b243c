import { Logger } from '@nestjs/common';
import { AuditPublisher, AuditTrail } from './audit-trail';
import { anAuditRecord } from '../../../../test/support/samples';

const record = anAuditRecord();

describe('AuditTrail', () => {
  const publisherWith = (publish: AuditPublisher['publishAuditRecords']) => ({
    publishAuditRecords: jest.fn(publish),
    close: jest.fn(() => Promise.resolve()),
  });

  afterEach(() => jest.restoreAllMocks());

  it('publishes a record at once, alone, with the confirm timeout', async () => {
    const publisher = publisherWith(() => Promise.resolve());
    await new AuditTrail(publisher, { timeoutMs: 1500, batchMax: 100, lingerMs: 1000 }).record(record);
    expect(publisher.publishAuditRecords).toHaveBeenCalledWith([record], 1500);
  });

  it('sends the records asked for in one turn together, and answers each once that message is confirmed', async () => {
    let confirm!: () => void;
    const publisher = publisherWith(() => new Promise<void>((resolve) => (confirm = resolve)));
    const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 100, lingerMs: 1000 });
    const other = { ...record, id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e11' };
    let done = 0;
    const both = [trail.record(record), trail.record(other)].map((confirmed) => confirmed.then(() => (done += 1)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(publisher.publishAuditRecords).toHaveBeenCalledTimes(1);
    expect(publisher.publishAuditRecords).toHaveBeenCalledWith([record, other], 100);
    expect(done).toBe(0);
    confirm();
    await Promise.all(both);
    expect(done).toBe(2);
  });

  it('fails every record of a message the broker did not confirm', async () => {
    const trail = new AuditTrail(
      publisherWith(() => Promise.reject(new Error('timeout'))),
      { timeoutMs: 100, batchMax: 100, lingerMs: 1000 },
    );
    const results = await Promise.allSettled([
      trail.record(record),
      trail.record({ ...record, id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e11' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('on shutdown, sends the records replies wait for at once, before closing', async () => {
    const publisher = publisherWith(() => Promise.resolve());
    const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 100, lingerMs: 1000 });
    const confirmed = trail.record(record);
    await trail.onApplicationShutdown();
    await expect(confirmed).resolves.toBeUndefined();
    expect(publisher.publishAuditRecords).toHaveBeenCalledWith([record], 100);
    expect(publisher.close).toHaveBeenCalled();
  });

  it('rejects when the broker does not confirm', async () => {
    await expect(
      new AuditTrail(
        publisherWith(() => Promise.reject(new Error('timeout'))),
        { timeoutMs: 100, batchMax: 1, lingerMs: 0 },
      ).record(record),
    ).rejects.toThrow('timeout');
  });

  it('in the background, logs a lost record by its id and action instead of failing the call', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new AuditTrail(
      publisherWith(() => Promise.reject(new Error('timeout'))),
      { timeoutMs: 100, batchMax: 1, lingerMs: 0 },
    ).recordInBackground(record);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`audit record ${record.id} lost (READ, success=true, requestId=req-1): timeout`),
    );
  });

  it('sends background records together: one message for a batch, after the linger or once it is full', async () => {
    const publisher = publisherWith(() => Promise.resolve());
    const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 3, lingerMs: 20 });
    const ids = ['a', 'b', 'c', 'd'].map((suffix) => ({ ...record, id: `6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e1${suffix}` }));
    ids.forEach((one) => trail.recordInBackground(one));
    expect(publisher.publishAuditRecords).toHaveBeenCalledTimes(1);
    expect(publisher.publishAuditRecords.mock.calls[0]![0]).toEqual(ids.slice(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(publisher.publishAuditRecords).toHaveBeenCalledTimes(2);
    expect(publisher.publishAuditRecords.mock.calls[1]![0]).toEqual([ids[3]]);
  });

  it('on shutdown, sends what is gathered and waits for it, then closes its publisher', async () => {
    let confirm!: () => void;
    const publisher = publisherWith(() => new Promise<void>((resolve) => (confirm = resolve)));
    const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 10, lingerMs: 1000 });
    trail.recordInBackground(record);
    let closed = false;
    const shutdown = trail.onApplicationShutdown().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(publisher.publishAuditRecords).toHaveBeenCalledTimes(1);
    expect(closed).toBe(false);
    confirm();
    await shutdown;
    expect(publisher.close).toHaveBeenCalled();
  });
  describe('the audit contract, checked before anything is published', () => {
    const hostile = { ...record, userId: 'mallory\u0000', keyPath: 'u/\ud800' };

    it('sends a record that breaks the contract with the breaking fields replaced, so the call stays in the trail, and counts it', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const publisher = publisherWith(() => Promise.resolve());
      const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 10, lingerMs: 1000 });
      trail.recordInBackground(record);
      trail.recordInBackground(hostile);
      await trail.onApplicationShutdown();
      expect(publisher.publishAuditRecords).toHaveBeenCalledWith([record, { ...hostile, userId: 'mallory\ufffd', keyPath: null }], 100);
      expect(trail.contractBreaches).toEqual({ sanitized: 1, dropped: 0 });
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `audit record ${record.id} (READ, success=true, requestId=req-1) published with its userId, keyPath replaced`,
        ),
      );
      expect(JSON.stringify(warn.mock.calls)).not.toMatch(/mallory|\\u0000|\\ud800/);
    });

    it('sanitizes a record a reply waits for too, and confirms it', async () => {
      const publisher = publisherWith(() => Promise.resolve());
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      await new AuditTrail(publisher, { timeoutMs: 100, batchMax: 10, lingerMs: 1000 }).record(hostile);
      expect(publisher.publishAuditRecords).toHaveBeenCalledWith([{ ...hostile, userId: 'mallory\ufffd', keyPath: null }], 100);
    });

    it('drops a record whose own fields are broken, failing a reply that waits for it, and counts it', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const publisher = publisherWith(() => Promise.resolve());
      const trail = new AuditTrail(publisher, { timeoutMs: 100, batchMax: 1, lingerMs: 0 });
      const broken = { ...record, occurredAt: 'yesterday' };
      await expect(trail.record(broken)).rejects.toThrow('breaks the audit contract');
      trail.recordInBackground(broken);
      expect(publisher.publishAuditRecords).not.toHaveBeenCalled();
      expect(trail.contractBreaches).toEqual({ sanitized: 0, dropped: 2 });
      expect(error).toHaveBeenCalledWith(expect.stringContaining('its occurredAt broke the audit contract'));
    });
  });
});
