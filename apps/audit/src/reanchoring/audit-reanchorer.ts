import { AuditAction } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecordFields, ChainLink, ChainedAuditRecord, auditRecordHash } from '../chain/audit-chain';
import { Reanchor, reanchorAnnouncementId } from '../chain/reanchor';
import { IncomingAuditRecord } from '../records/audit-message';
import { AuditRecordRow } from '../records/audit-record.entity';
import { AuditRecordsRepository, chainedRecordOf } from '../records/audit-records.repository';
import { verifyChain } from '../records/chain-verification';

export interface ReanchorOptions {
  sequence: string;
  reason: string;
  operator: string;
  /** Only run the checks; write nothing. */
  dryRun?: boolean;
}

export interface ReanchorReport {
  sequence: string;
  /** The id of the AUDIT_REANCHOR record that announces the re-anchoring in the chain. */
  announcementId: string;
  /** Its place in the chain; null on a dry run. */
  announcementSequence: string | null;
}

/** The record cannot be re-anchored; the message says why (never a record's text). */
export class ReanchorRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReanchorRefusedError';
  }
}

/** What the old audit service left of a lone surrogate it stored: the UTF-8 encoder's replacement character. */
const REPLACEMENT_CHARACTER = '\ufffd';
const TEXT_FIELDS = ['userId', 'applicationId', 'keyPath', 'requestId', 'clientAddress', 'errorCode'] as const;

function textFieldsWithReplacement(record: AuditRecordFields): string[] {
  return TEXT_FIELDS.filter((field) => record[field]?.includes(REPLACEMENT_CHARACTER) === true);
}

/**
 * Re-anchors verification after record `sequence`, stored other than hashed (the old audit service hashed a lone surrogate
 * as sent but stored U+FFFD): pins the record as stored (`audit_reanchor`) and appends an AUDIT_REANCHOR record, in one
 * transaction. Refused unless verification stops at this record now, both its links hold and a text field holds U+FFFD,
 * the old behaviour's mark: a record changed any other way is tampering, not to be waved through.
 */
export async function reanchorAuditRecord(dataSource: DataSource, options: ReanchorOptions): Promise<ReanchorReport> {
  const repository = new AuditRecordsRepository(dataSource);
  const verified = await repository.snapshot((manager) => verifyChain(repository, manager));
  if (verified.ok) throw new ReanchorRefusedError('the audit chain verifies: nothing to re-anchor');
  if (verified.firstBrokenSequence !== options.sequence) {
    throw new ReanchorRefusedError(
      `verification stops at record ${verified.firstBrokenSequence} (${verified.reason}), not at ${options.sequence}: re-anchor the records it names one at a time, in order`,
    );
  }
  return dataSource.transaction(async (manager) => {
    // Appends wait meanwhile: the chain does not move under the checks.
    await manager.query('SELECT last_sequence FROM audit_chain_head WHERE id = 1 FOR UPDATE');
    const record = await damagedRecord(repository, manager, options.sequence);
    const reanchor: Reanchor = {
      sequence: record.sequence,
      recordHash: record.hash,
      storedHash: auditRecordHash(record.prevHash, record.sequence, record),
      reason: options.reason,
      operator: options.operator,
    };
    const announcementId = reanchorAnnouncementId(reanchor);
    if (options.dryRun) return { sequence: record.sequence, announcementId, announcementSequence: null };
    await manager.query('INSERT INTO audit_reanchor (sequence, record_hash, stored_hash, reason, operator) VALUES ($1, $2, $3, $4, $5)', [
      reanchor.sequence,
      reanchor.recordHash,
      reanchor.storedHash,
      reanchor.reason,
      reanchor.operator,
    ]);
    if ((await repository.appendIn(manager, [announcementOf(record, reanchor, announcementId)], new Date())).stored !== 1) {
      throw new ReanchorRefusedError(`a record with the announcement's id ${announcementId} is stored already: nothing was written`);
    }
    const heads: Array<{ last_sequence: string }> = await manager.query('SELECT last_sequence FROM audit_chain_head WHERE id = 1');
    return { sequence: record.sequence, announcementId, announcementSequence: heads[0]!.last_sequence };
  });
}

/** Record `sequence` as stored, once it is shown to differ from its hash in its own content only. */
async function damagedRecord(repository: AuditRecordsRepository, manager: EntityManager, sequence: string): Promise<ChainedAuditRecord> {
  const rows: AuditRecordRow[] = await manager.query(
    'SELECT * FROM audit_record WHERE sequence BETWEEN $1::bigint - 1 AND $1::bigint + 1 ORDER BY sequence',
    [sequence],
  );
  const at = (offset: bigint) => rows.map(chainedRecordOf).find((row) => BigInt(row.sequence) === BigInt(sequence) + offset);
  const record = at(0n);
  if (record === undefined)
    throw new ReanchorRefusedError(
      `record ${sequence} is missing: re-anchoring mends a record stored other than it was hashed, not a removed one`,
    );
  const start = await repository.verificationStart(manager);
  const before: ChainLink | undefined = at(-1n) ?? (BigInt(start.sequence) === BigInt(sequence) - 1n ? start : undefined);
  if (before === undefined || record.prevHash !== before.hash) {
    throw new ReanchorRefusedError(
      `record ${sequence} does not link to the record before it: only a record whose own content differs can be re-anchored`,
    );
  }
  const after = at(1n);
  if (after !== undefined && after.prevHash !== record.hash) {
    throw new ReanchorRefusedError(
      `record ${after.sequence} does not link to record ${sequence}: its hash column was changed, which re-anchoring does not mend`,
    );
  }
  if (auditRecordHash(record.prevHash, record.sequence, record) === record.hash) {
    throw new ReanchorRefusedError(`record ${sequence} matches its hash: verification stops there for another reason`);
  }
  if (textFieldsWithReplacement(record).length === 0) {
    throw new ReanchorRefusedError(
      `record ${sequence} holds no U+FFFD, the mark of a lone surrogate stored by the old audit service: it was changed some other way, which is tampering`,
    );
  }
  const reanchored: unknown[] = await manager.query('SELECT 1 FROM audit_reanchor WHERE sequence = $1', [sequence]);
  if (reanchored.length > 0) {
    throw new ReanchorRefusedError(
      `record ${sequence} was re-anchored before, and that no longer holds (the record, the re-anchoring or its announcement changed): investigate`,
    );
  }
  return record;
}

/** The chain's own record of the re-anchoring, under the damaged record's application and namespace, so that their auditors see it. */
function announcementOf(record: ChainedAuditRecord, reanchor: Reanchor, id: string): IncomingAuditRecord {
  return {
    id,
    occurredAt: new Date().toISOString(),
    action: AuditAction.AUDIT_REANCHOR,
    success: true,
    userId: reanchor.operator,
    applicationId: record.applicationId,
    namespaceId: record.namespaceId,
    entryId: null,
    keyPath: null,
    requestId: `reanchor:${reanchor.sequence}`,
    clientAddress: null,
    errorCode: null,
    eventType: null,
  };
}
