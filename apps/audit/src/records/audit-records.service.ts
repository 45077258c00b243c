import { Injectable } from '@nestjs/common';
import { AuditPage, AuditQuery, AuditRecordDto, AuditVerifyResult, ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal, accessibleApplications, isGranted } from '@app/permissions';
import { missingPermission } from '@app/entry-store';
import { pageLimit, toPage } from '@app/service-kit';
import { AuditRecordRow } from './audit-record.entity';
import { auditListQuery, sequenceCursor } from './audit-list-query';
import { AuditRecordsRepository, chainedRecordOf } from './audit-records.repository';
import { verifyChain } from './chain-verification';

/** A stored record as the API shows it: the chained record without the chain's internals. */
function toAuditRecordDto(row: AuditRecordRow): AuditRecordDto {
  const { recordedAt: _recordedAt, prevHash: _prevHash, ...record } = chainedRecordOf(row);
  return record;
}

/** IsISO8601 lets through forms (week dates, ordinal dates) that are no instant; refuse them here rather than in SQL. */
function instant(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new KvException(ErrorCode.VALIDATION_FAILED, `${name} must be an ISO-8601 date-time`);
  return date.toISOString();
}

/** Reading and verifying the audit trail. */
@Injectable()
export class AuditRecordsService {
  constructor(private readonly records: AuditRecordsRepository) {}

  /**
   * A page of records, newest first, of the caller's applications only. A grant of kv-audit:read scoped
   * to a namespace counts when the query asks for that namespace.
   */
  async list(actor: Principal, query: AuditQuery): Promise<AuditPage> {
    if (!isGranted(actor, Permission.AuditRead, query.namespaceId)) throw missingPermission(Permission.AuditRead);
    const limit = pageLimit(query.limit);
    const beforeSequence = sequenceCursor(query.cursor);
    const applications = accessibleApplications(actor);
    if (!applications.all && applications.applicationIds.length === 0) return { items: [], nextCursor: null };
    const filter = { ...query, from: instant('from', query.from), to: instant('to', query.to) };
    const rows = await this.records.list(auditListQuery(filter, applications, beforeSequence, limit + 1));
    const page = toPage(rows, limit, (row) => [row.sequence]);
    return { items: page.items.map(toAuditRecordDto), nextCursor: page.nextCursor };
  }

  /** Verifies the whole chain (chain-verification.ts). It spans every application, so only a caller of all applications may. */
  async verify(actor: Principal): Promise<AuditVerifyResult> {
    if (!isGranted(actor, Permission.AuditRead)) throw missingPermission(Permission.AuditRead);
    if (!accessibleApplications(actor).all) {
      throw new KvException(ErrorCode.FORBIDDEN, 'verifying the audit chain needs access to all applications: it spans every one');
    }
    // One snapshot: records appended meanwhile are left for the next run, and a prune running meanwhile
    // cannot show up as a gap.
    return this.records.snapshot((manager) => verifyChain(this.records, manager));
  }
}
