import { CallHandler, ExecutionContext, Logger } from '@nestjs/common';
import { AuditAction, AuditRecordMessage, ErrorCode, KvException, NamespaceDescriptor } from '@app/contracts';
import { AsyncResource } from 'node:async_hooks';
import { Observable, defer, firstValueFrom, lastValueFrom, throwError } from 'rxjs';
import { noteResolvedNamespace } from './audit-notes';
import { AuditInterceptor } from './audit.interceptor';
import { AuditTrail } from './audit-trail';
import type { AuditedRoute } from './audited.decorator';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const PLANTED = 'planted-value-hunter2';
const descriptor = (isSecretNamespace: boolean): NamespaceDescriptor => ({
  id: NS, applicationId: 'billing', isSecretNamespace, defaultTtlSeconds: null, maxSecretVersions: null,
});
const entry = { id: '00000000-0000-4000-8000-000000000001', keyPath: 'k', value: PLANTED, version: 1 };

function contextFor(route: AuditedRoute | undefined) {
  const request = {
    principal: { id: 'alice', permissions: ['*'], applications: ['*'] },
    id: 'req-1', ip: '127.0.0.1', method: 'GET', url: `/api/v1/kv/${NS}/entries/k`, params: { nsId: NS, '*': 'k' },
    routeOptions: { config: route ? { audit: route } : {} },
  };
  const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  return { context, request };
}

/** A handler that resolves `namespace` through the directory, then replies; bound as Nest's CallHandler binds it. */
function handlerResolving(namespace: NamespaceDescriptor | null, reply: unknown = entry): CallHandler & { calls: number } {
  const handler = {
    calls: 0,
    handle: () =>
      defer(
        AsyncResource.bind(async () => {
          handler.calls += 1;
          await Promise.resolve();
          if (namespace) noteResolvedNamespace(namespace);
          return reply;
        }),
      ),
  };
  return handler;
}

describe('AuditInterceptor', () => {
  let record: jest.Mock<Promise<void>, [AuditRecordMessage]>;
  let recordInBackground: jest.Mock<void, [AuditRecordMessage]>;
  let interceptor: AuditInterceptor;

  beforeEach(() => {
    record = jest.fn((_record: AuditRecordMessage) => Promise.resolve());
    recordInBackground = jest.fn((_record: AuditRecordMessage) => undefined);
    interceptor = new AuditInterceptor({ record, recordInBackground } as unknown as AuditTrail);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const run = (route: AuditedRoute | undefined, handler: CallHandler) => lastValueFrom(interceptor.intercept(contextFor(route).context, handler));
  const readEntry: AuditedRoute = { action: AuditAction.READ, revealsValues: true };

  it('leaves a route without a declaration alone', async () => {
    await expect(run(undefined, handlerResolving(descriptor(true)))).resolves.toBe(entry);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it("records nothing for a successful change: its service's outbox does", async () => {
    await run({ action: AuditAction.WRITE, revealsValues: false }, handlerResolving(descriptor(true)));
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it("records a plain namespace's read in the background, with what the handler resolved", async () => {
    await expect(run(readEntry, handlerResolving(descriptor(false)))).resolves.toBe(entry);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.READ, success: true, userId: 'alice', applicationId: 'billing', namespaceId: NS, keyPath: 'k', entryId: entry.id }),
    );
    expect(JSON.stringify(recordInBackground.mock.calls)).not.toContain(PLANTED);
  });

  it("holds a secret's value until its record is confirmed", async () => {
    let confirm!: () => void;
    record.mockReturnValue(new Promise<void>((resolve) => (confirm = resolve)));
    let replied = false;
    const reply = firstValueFrom(interceptor.intercept(contextFor(readEntry).context, handlerResolving(descriptor(true)))).then((value) => {
      replied = true;
      return value;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ action: AuditAction.READ, applicationId: 'billing' }));
    expect(replied).toBe(false);
    confirm();
    await expect(reply).resolves.toBe(entry);
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it("answers SERVICE_UNAVAILABLE, never the value, when a secret read's record is not confirmed", async () => {
    record.mockRejectedValue(new Error('timeout'));
    const error = await run(readEntry, handlerResolving(descriptor(true))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KvException);
    expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect(JSON.stringify(error)).not.toContain(PLANTED);
  });

  it('holds values of a namespace the handler did not note (fail closed)', async () => {
    await run(readEntry, handlerResolving(null));
    expect(record).toHaveBeenCalled();
  });

  it("records a secret's history, which carries no value, in the background", async () => {
    await run({ action: AuditAction.READ, revealsValues: false }, handlerResolving(descriptor(true), { items: [], nextCursor: null }));
    expect(recordInBackground).toHaveBeenCalledWith(expect.objectContaining({ action: AuditAction.READ, entryId: null }));
    expect(record).not.toHaveBeenCalled();
  });

  it('lets a failure through untouched: the exception filter records it', async () => {
    const failure = new KvException(ErrorCode.ENTRY_NOT_FOUND, 'entry not found');
    await expect(run(readEntry, { handle: () => throwError(() => failure) as Observable<unknown> })).rejects.toBe(failure);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it('keeps the notes on the request, for the exception filter', async () => {
    const { context, request } = contextFor(readEntry);
    await lastValueFrom(interceptor.intercept(context, handlerResolving(descriptor(false))));
    expect((request as { auditNotes?: unknown }).auditNotes).toEqual({ namespace: descriptor(false) });
  });
});
