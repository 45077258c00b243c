import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { AuditAction, AuditRecordMessage, ErrorCode, NamespaceDescriptor } from '@app/contracts';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuditHooks } from './audit-hooks';
import { noteResolvedNamespace } from './audit-notes';
import { AuditTrail } from './audit-trail';
import type { AuditedRoute } from './audited.decorator';
import { anAdmin } from '../../../../test/support/principals';
import { WITHHELD_READ_REPLY, aNamespaceDescriptor } from '../../../../test/support/samples';

const NS = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
const PLANTED = 'planted-value-hunter2';
const descriptor = (isSecretNamespace: boolean) => aNamespaceDescriptor({ id: NS, isSecretNamespace });
const entry = { id: '00000000-0000-4000-8000-000000000001', keyPath: 'k', value: PLANTED, version: 1 };
const readEntry: AuditedRoute = { action: AuditAction.READ, revealsValues: true };

interface Route {
  audit?: AuditedRoute;
  /** What the handler resolves through the directory (after an await, as the real one does). */
  namespace?: NamespaceDescriptor | null;
  /** The handler's answer; the entry by default. */
  reply?: unknown;
  status?: number;
}

describe('AuditHooks', () => {
  let app: FastifyInstance;
  let record: jest.Mock<Promise<void>, [AuditRecordMessage]>;
  let recordInBackground: jest.Mock<void, [AuditRecordMessage]>;
  let lastRequest: FastifyRequest | undefined;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  /** One route per test, answering as a Nest handler does (an awaited service call, then the reply object). */
  async function serve(route: Route, method: 'GET' | 'POST' = 'GET'): Promise<void> {
    app.route({
      method,
      url: '/:nsId/entries/*',
      config: route.audit ? { audit: route.audit } : {},
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        lastRequest = request;
        await Promise.resolve();
        if (route.namespace) noteResolvedNamespace(route.namespace);
        void reply.header('etag', '"1"').code(route.status ?? 200);
        return 'reply' in route ? route.reply : entry;
      },
    });
    await app.ready();
  }

  const get = () => app.inject({ method: 'GET', url: `/${NS}/entries/k` });

  beforeEach(() => {
    record = jest.fn((_record: AuditRecordMessage) => Promise.resolve());
    recordInBackground = jest.fn((_record: AuditRecordMessage) => undefined);
    app = Fastify();
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', (request, _reply, done) => {
      request.principal = anAdmin({ id: 'alice' });
      done();
    });
    new AuditHooks({} as HttpAdapterHost, { record, recordInBackground } as unknown as AuditTrail).register(app);
    lastRequest = undefined;
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  it('leaves a route without a declaration alone', async () => {
    await serve({ namespace: descriptor(true) });
    const response = await get();
    expect(response.json()).toEqual(entry);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
    expect(lastRequest?.auditNotes).toBeUndefined();
  });

  it("records nothing for a successful change: its service's outbox does", async () => {
    await serve({ audit: { action: AuditAction.WRITE, revealsValues: false }, namespace: descriptor(true) });
    expect((await get()).statusCode).toBe(200);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it('records a change that changed nothing, which has no event', async () => {
    await serve({ audit: { action: AuditAction.DELETE, revealsValues: false }, namespace: descriptor(false), reply: { deleted: [] } });
    await get();
    expect(recordInBackground).toHaveBeenCalledWith(expect.objectContaining({ action: AuditAction.DELETE, success: true }));
  });

  it("records a plain namespace's read in the background, with what the handler resolved", async () => {
    await serve({ audit: readEntry, namespace: descriptor(false) });
    const response = await get();
    expect(response.json()).toEqual(entry);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).toHaveBeenCalledTimes(1);
    expect(recordInBackground).toHaveBeenCalledWith(
      expect.objectContaining({
        action: AuditAction.READ,
        success: true,
        userId: 'alice',
        applicationId: 'billing',
        namespaceId: NS,
        keyPath: 'k',
        entryId: entry.id,
      }),
    );
    expect(JSON.stringify(recordInBackground.mock.calls)).not.toContain(PLANTED);
  });

  it('gives the handler of a route with a body the notes too', async () => {
    await serve({ audit: { action: AuditAction.READ, revealsValues: false }, namespace: descriptor(false), reply: { items: [] } }, 'POST');
    // Over a real socket, where the body arrives in reads of its own.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/${NS}/entries/k`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys: Array.from({ length: 2000 }, (_, i) => `key-${i}`) }),
    });
    expect(response.status).toBe(200);
    expect(lastRequest?.auditNotes).toEqual({ namespace: descriptor(false), replyRecorded: true });
    expect(recordInBackground).toHaveBeenCalledWith(expect.objectContaining({ applicationId: 'billing' }));
  });

  it("holds a secret's value until its record is confirmed", async () => {
    let confirm!: () => void;
    record.mockReturnValue(new Promise<void>((resolve) => (confirm = resolve)));
    await serve({ audit: readEntry, namespace: descriptor(true) });
    let replied = false;
    const response = get().then((answer) => {
      replied = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ action: AuditAction.READ, applicationId: 'billing' }));
    expect(replied).toBe(false);
    confirm();
    expect((await response).json()).toEqual(entry);
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it("answers 503 SERVICE_UNAVAILABLE, never the value, when a secret read's record is not confirmed, and records that", async () => {
    record.mockRejectedValue(new Error('timeout'));
    await serve({ audit: readEntry, namespace: descriptor(true) });
    const response = await get();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual(WITHHELD_READ_REPLY);
    expect(response.headers.etag).toBeUndefined();
    expect(response.body).not.toContain(PLANTED);
    expect(recordInBackground).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.READ, success: false, errorCode: ErrorCode.SERVICE_UNAVAILABLE, keyPath: 'k' }),
    );
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('secret read withheld'));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(PLANTED);
  });

  it('refuses, rather than sends unrecorded, a successful reply that is not an object (fail closed)', async () => {
    await serve({ audit: readEntry, namespace: descriptor(true), reply: PLANTED });
    const response = await get();
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ statusCode: 500, code: ErrorCode.INTERNAL_ERROR });
    expect(response.headers.etag).toBeUndefined();
    expect(response.body).not.toContain(PLANTED);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.READ, success: false, errorCode: ErrorCode.INTERNAL_ERROR }),
    );
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('lets a successful change answer nothing (204): its service records it', async () => {
    await serve({
      audit: { action: AuditAction.DELETE, revealsValues: false },
      namespace: descriptor(true),
      reply: undefined,
      status: 204,
    });
    const response = await get();
    expect(response.statusCode).toBe(204);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it('holds values of a namespace the handler did not note (fail closed)', async () => {
    record.mockRejectedValue(new Error('timeout'));
    await serve({ audit: readEntry, namespace: null });
    const response = await get();
    expect(record).toHaveBeenCalled();
    expect(response.statusCode).toBe(503);
  });

  it("records a secret's history, which carries no value, in the background", async () => {
    await serve({
      audit: { action: AuditAction.READ, revealsValues: false },
      namespace: descriptor(true),
      reply: { items: [], nextCursor: null },
    });
    await get();
    expect(recordInBackground).toHaveBeenCalledWith(expect.objectContaining({ action: AuditAction.READ, entryId: null }));
    expect(record).not.toHaveBeenCalled();
  });

  it('leaves an error reply untouched: the exception filter records it', async () => {
    const failure = { statusCode: 404, error: 'Not Found', code: ErrorCode.ENTRY_NOT_FOUND, message: 'entry not found' };
    await serve({ audit: readEntry, namespace: descriptor(true), reply: failure, status: 404 });
    const response = await get();
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(failure);
    expect(record).not.toHaveBeenCalled();
    expect(recordInBackground).not.toHaveBeenCalled();
  });

  it('keeps the notes on the request, for the exception filter', async () => {
    await serve({ audit: readEntry, namespace: descriptor(false) });
    await get();
    expect(lastRequest?.auditNotes).toEqual({ namespace: descriptor(false), replyRecorded: true });
  });
});
