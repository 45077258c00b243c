import { HttpStatus, Logger } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from '../errors/http-exception.filter';
import { AuditNotes, withAuditNotes } from './audit-notes';
import { AuditedCall, auditRecordOf, auditedCallOf, changedNothing, isChange, mustConfirmBeforeReply, readRecordsOf } from './audit-record.mapping';
import { AuditTrail } from './audit-trail';
import { auditedRouteOf } from './audited.decorator';

const WITHHELD_MESSAGE = 'the read could not be audited, so its value is withheld; try again later';

/**
 * Records the successful reads of audited routes (failures are recorded by the exception filter, which
 * also sees the calls refused before the handler runs). A reply carrying a secret's value leaves only
 * once the broker confirmed its record; any other record is published without holding the reply up.
 *
 * Fastify hooks, not a Nest interceptor: any interceptor puts every request through rxjs and an
 * `AsyncResource` binding, which cost the gateway about 0.2 ms of CPU a request, 40% of a plain GET
 * (docs/benchmark.md).
 */
export function registerAuditHooks(instance: FastifyInstance, trail: AuditTrail): void {
  const logger = new Logger('AuditHooks');

  /** The one reply that replaces a secret read whose record the broker did not confirm; that failure is recorded too. */
  function withheld(call: AuditedCall, reply: FastifyReply, records: number, error: unknown): unknown {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn(`secret read withheld: ${records} audit records not all confirmed (requestId=${call.requestId ?? '-'}): ${reason}`);
    const body = errorBody(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE, WITHHELD_MESSAGE);
    trail.recordInBackground(auditRecordOf(call, { success: false, errorCode: body.code }));
    void reply.code(body.statusCode).removeHeader('etag');
    return body;
  }

  // The last step before the handler, after the body is read: the handler and all it awaits see the notes.
  instance.addHook('preHandler', (request, _reply, done) => {
    if (auditedRouteOf(request) === undefined) return done();
    const notes: AuditNotes = {};
    request.auditNotes = notes;
    withAuditNotes(notes, () => done());
  });

  // Object replies pass here before they are serialized; every audited read answers an object.
  instance.addHook('preSerialization', (request, reply, payload: unknown, done) => {
    const route = auditedRouteOf(request);
    // Errors are the exception filter's; a change is recorded by its service, next to its event,
    // unless it changed nothing and so has neither.
    if (route === undefined || reply.statusCode >= 400 || (isChange(route.action) && !changedNothing(payload))) return done(null, payload);
    const call = auditedCallOf(request, route.action);
    const records = readRecordsOf(call, payload);
    if (!mustConfirmBeforeReply(route, call)) {
      for (const record of records) trail.recordInBackground(record);
      return done(null, payload);
    }
    // Published together, so the broker confirms them together.
    Promise.all(records.map((record) => trail.record(record))).then(
      () => done(null, payload),
      (error: unknown) => done(null, withheld(call, reply, records.length, error)),
    );
  });
}
