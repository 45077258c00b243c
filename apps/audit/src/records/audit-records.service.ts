import { Injectable } from '@nestjs/common';
import { AuditPage, AuditQuery, AuditRecordDto, AuditVerifyResult, ErrorCode, KvException } from '@app/contracts';
import { Permission, Principal, accessibleApplications, isGranted } from '@app/permissions';
import { missingPermission, pageLimit, toPage } from '@app/service-kit';
import { ChainLink, verifyChainLinks } from '../chain/audit-chain';
import { AuditRecordRow } from './audit-record.entity';
import { auditListQuery, sequenceCursor } from './audit-list-query';
import { AuditRecordsRepository, chainedRecordOf } from './audit-records.repository';

/** Records read per query while verifying: the chain is walked in slices, never loaded whole. */
export const VERIFY_SLICE = 5000;

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

  /**
   * Walks the chain from the last prune's checkpoint to the head: every record must follow the one
   * before without a gap, link to its hash and match its own; the last one must be the head. The chain
   * spans every application, so only a caller of all applications may verify it.
   */
  async verify(actor: Principal): Promise<AuditVerifyResult> {
    if (!isGranted(actor, Permission.AuditRead)) throw missingPermission(Permission.AuditRead);
    if (!accessibleApplications(actor).all) {
      throw new KvException(ErrorCode.FORBIDDEN, 'verifying the audit chain needs access to all applications: it spans every one');
    }
    // One snapshot: records appended meanwhile are left for the next run, and a prune running meanwhile
    // cannot show up as a gap.
    return this.records.snapshot(async (manager) => {
      const head = await this.records.chainHead(manager);
      let last: ChainLink = await this.records.verificationStart(manager);
      let checked = 0;
      while (BigInt(last.sequence) < BigInt(head.sequence)) {
        const slice = await this.records.chainSlice(last.sequence, head.sequence, VERIFY_SLICE, manager);
        const result = verifyChainLinks(last, slice);
        checked += result.checked;
        if (result.broken !== null) return { ok: false, checked, firstBrokenSequence: result.broken.sequence, reason: result.broken.reason };
        if (slice.length === 0) break;
        last = result.last;
      }
      const end = this.endOfChain(last, head);
      return end === null
        ? { ok: true, checked, firstBrokenSequence: null, reason: null }
        : { ok: false, checked, firstBrokenSequence: end.sequence, reason: end.reason };
    });
  }

  /** The walk must end exactly at the head, and nothing may be stored beyond it. */
  private endOfChain(last: ChainLink, head: { sequence: string; hash: string; maxStoredSequence: string | null }): { sequence: string; reason: string } | null {
    const next = (BigInt(last.sequence) + 1n).toString();
    if (BigInt(last.sequence) < BigInt(head.sequence)) {
      return { sequence: next, reason: `records ${next} to ${head.sequence} are missing (the chain head is at ${head.sequence})` };
    }
    if (last.hash !== head.hash) return { sequence: last.sequence, reason: `the chain head does not match record ${last.sequence}` };
    if (head.maxStoredSequence !== null && BigInt(head.maxStoredSequence) > BigInt(head.sequence)) {
      return { sequence: next, reason: `records beyond the chain head (up to ${head.maxStoredSequence}) were not appended through the chain` };
    }
    return null;
  }
}
