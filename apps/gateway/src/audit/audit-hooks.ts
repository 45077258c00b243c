import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuditAction, AuditRecordMessage, ErrorCode, IDEMPOTENT_REPLAYED_HEADER } from '@app/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, errorBody } from '../errors/http-exception.filter';
import { AuditNotes, withAuditNotes } from './audit-notes';
import {
  AuditedCall,
  auditRecordOf,
  auditedCallOf,
  changedNothing,
  isChange,
  mustConfirmBeforeReply,
  readRecordsOf,
} from './audit-record.mapping';
import { AuditTrail } from './audit-trail';
import { auditedRouteOf } from './audited.decorator';

const WITHHELD_MESSAGE = 'the read could not be audited, so its value is withheld; try again later';
const UNRECORDED_MESSAGE = 'internal error: the reply could not be audited';
// The changes whose answer holds the value written.
const ANSWERS_VALUES: ReadonlySet<AuditAction> = new Set([AuditAction.WRITE, AuditAction.ROTATE, AuditAction.ROLLBACK]);

/**
 * Records the successful reads of audited routes (the exception filter records failures, including calls refused before the
 * handler); a reply carrying a secret's value leaves only once the broker confirmed its record. Fastify hooks, not a Nest
 * interceptor: an interceptor puts every request through rxjs and an `AsyncResource` binding (measured: docs/benchmark.md).
 */
@Injectable()
export class AuditHooks implements OnModuleInit {
  private readonly logger = new Logger(AuditHooks.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly trail: AuditTrail,
  ) {}

  /** Before the server is ready, when Fastify still takes hooks for every route. */
  onModuleInit(): void {
    this.register(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  register(instance: FastifyInstance): void {
    // The last step before the handler, after the body is read: the handler and all it awaits see the notes.
    instance.addHook('preHandler', (request, _reply, done) => {
      if (auditedRouteOf(request) === undefined) return done();
      const notes: AuditNotes = {};
      request.auditNotes = notes;
      withAuditNotes(notes, () => done());
    });
    // Object replies pass here before they are serialized.
    instance.addHook('preSerialization', (request, reply, payload: unknown, done) => {
      const held = this.recordReply(request, reply, payload);
      if (held === undefined) return done(null, payload);
      held.then(
        (answer) => done(null, answer),
        (error: Error) => done(error),
      );
    });
    instance.addHook('onSend', (request, reply, payload, done) => {
      if (request.auditNotes?.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
      done(null, this.refusedIfUnrecorded(request, reply) ?? payload);
    });
  }

  /** Records a successful reply; a secret's value is held: the promise says what to send once its record is confirmed. */
  private recordReply(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> | undefined {
    const notes = request.auditNotes;
    const route = auditedRouteOf(request);
    // Errors are the exception filter's.
    if (notes === undefined || route === undefined || reply.statusCode >= 400) return undefined;
    notes.replyRecorded = true;
    // A change is recorded by its service, next to its event, unless it changed nothing and so has neither.
    if (isChange(route.action) && !changedNothing(payload)) {
      // A replay changes nothing again; when it answers a secret's value, that answer is a read like any other.
      // Fails closed like mustConfirmBeforeReply: a namespace not known to be plain is taken as secret.
      if (!notes.replayed || !ANSWERS_VALUES.has(route.action) || notes.namespace?.isSecretNamespace === false) return undefined;
      const read = auditedCallOf(request, AuditAction.READ);
      return this.confirmedOrWithheld(read, reply, readRecordsOf(read, payload, true), payload);
    }
    const call = auditedCallOf(request, route.action);
    const records = readRecordsOf(call, payload, route.revealsValues);
    if (mustConfirmBeforeReply(route, call)) return this.confirmedOrWithheld(call, reply, records, payload);
    for (const record of records) this.trail.recordInBackground(record);
    return undefined;
  }

  /** The payload once the broker confirmed its records; else the error that replaces it. */
  private async confirmedOrWithheld(
    call: AuditedCall,
    reply: FastifyReply,
    records: AuditRecordMessage[],
    payload: unknown,
  ): Promise<unknown> {
    try {
      // Published together, so the broker confirms them together.
      await Promise.all(records.map((record) => this.trail.record(record)));
      return payload;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `secret read withheld: ${records.length} audit records not all confirmed (requestId=${call.requestId ?? '-'}): ${reason}`,
      );
      return this.refuse(call, reply, errorBody(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE, WITHHELD_MESSAGE));
    }
  }

  /**
   * Fail closed: a successful reply of an audited route that did not pass the recording above (it was
   * not an object, which Fastify serializes without that hook) is refused rather than sent unrecorded.
   */
  private refusedIfUnrecorded(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const notes = request.auditNotes;
    const route = auditedRouteOf(request);
    if (notes === undefined || route === undefined || notes.replyRecorded || reply.statusCode >= 400) return undefined;
    // A change that succeeded answers nothing (204) and is recorded by its service.
    if (isChange(route.action) && reply.statusCode === HttpStatus.NO_CONTENT) return undefined;
    const call = auditedCallOf(request, route.action);
    this.logger.error(`an audited route answered what the audit hooks cannot record (requestId=${call.requestId ?? '-'}); refused`);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(
      this.refuse(call, reply, errorBody(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL_ERROR, UNRECORDED_MESSAGE)),
    );
  }

  /** Replaces a reply with an error; its failure is recorded, in the background, as the exception filter records failures. */
  private refuse(call: AuditedCall, reply: FastifyReply, body: ErrorBody): ErrorBody {
    this.trail.recordInBackground(auditRecordOf(call, { success: false, errorCode: body.code }));
    void reply.code(body.statusCode).removeHeader('etag');
    return body;
  }
}
