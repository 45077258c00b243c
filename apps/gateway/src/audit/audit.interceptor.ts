import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyRequest } from 'fastify';
import { Observable, mergeMap } from 'rxjs';
import { AuditNotes, withAuditNotes } from './audit-notes';
import { auditedCallOf, changedNothing, isChange, mustConfirmBeforeReply, readRecordsOf } from './audit-record.mapping';
import { AuditTrail } from './audit-trail';
import { AuditedRoute, auditedRouteOf } from './audited.decorator';

/**
 * Records the successful reads of audited routes (failures are recorded by the exception filter, which
 * also sees the calls refused before any interceptor runs). A reply carrying a secret's value leaves only
 * once the broker confirmed its record; any other record is published without holding the reply up.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(private readonly trail: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = auditedRouteOf(request);
    if (!route) return next.handle();
    const notes: AuditNotes = {};
    request.auditNotes = notes;
    // `handle()` binds the handler to the async context it is called in, so the handler's code sees the notes.
    return withAuditNotes(notes, () => next.handle()).pipe(mergeMap((reply) => this.recordSuccess(route, request, reply)));
  }

  private async recordSuccess(route: AuditedRoute, request: FastifyRequest, reply: unknown): Promise<unknown> {
    // A change is recorded by its service, next to its event; one that changed nothing has neither.
    if (isChange(route.action) && !changedNothing(reply)) return reply;
    const call = auditedCallOf(request, route.action);
    const records = readRecordsOf(call, reply);
    if (!mustConfirmBeforeReply(route, call)) {
      for (const record of records) this.trail.recordInBackground(record);
      return reply;
    }
    try {
      // Published together, so the broker confirms them together.
      await Promise.all(records.map((record) => this.trail.record(record)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`secret read withheld: ${records.length} audit records not all confirmed (requestId=${call.requestId ?? '-'}): ${reason}`);
      throw new KvException(ErrorCode.SERVICE_UNAVAILABLE, 'the read could not be audited, so its value is withheld; try again later');
    }
    return reply;
  }
}
