import type { AuditVerifyResult } from '@app/contracts';
import type { EntityManager } from 'typeorm';
import { ChainLink, verifyChainLinks } from '../chain/audit-chain';
import type { AuditRecordsRepository } from './audit-records.repository';

/** Records read per query while verifying: the chain is walked in slices, never loaded whole. */
export const VERIFY_SLICE = 5000;

/**
 * Walks the chain from the last prune's checkpoint to the head, on `manager`'s snapshot: every record
 * must follow the one before without a gap, link to its hash and match its own (or its honoured
 * re-anchoring); the last one must be the head. For the verify query and the re-anchoring command.
 */
export async function verifyChain(records: AuditRecordsRepository, manager: EntityManager): Promise<AuditVerifyResult> {
  const head = await records.chainHead(manager);
  const reanchors = await records.honouredReanchors(manager);
  let last: ChainLink = await records.verificationStart(manager);
  let checked = 0;
  const reanchored: string[] = [];
  while (BigInt(last.sequence) < BigInt(head.sequence)) {
    const slice = await records.chainSlice(last.sequence, head.sequence, VERIFY_SLICE, manager);
    const result = verifyChainLinks(last, slice, reanchors);
    checked += result.checked;
    reanchored.push(...result.reanchored);
    if (result.broken !== null)
      return { ok: false, checked, firstBrokenSequence: result.broken.sequence, reason: result.broken.reason, reanchored };
    if (slice.length === 0) break;
    last = result.last;
  }
  const end = endOfChain(last, head);
  return end === null
    ? { ok: true, checked, firstBrokenSequence: null, reason: null, reanchored }
    : { ok: false, checked, firstBrokenSequence: end.sequence, reason: end.reason, reanchored };
}

/** The walk must end exactly at the head, and nothing may be stored beyond it. */
function endOfChain(
  last: ChainLink,
  head: { sequence: string; hash: string; maxStoredSequence: string | null },
): { sequence: string; reason: string } | null {
  const next = (BigInt(last.sequence) + 1n).toString();
  if (BigInt(last.sequence) < BigInt(head.sequence)) {
    return { sequence: next, reason: `records ${next} to ${head.sequence} are missing (the chain head is at ${head.sequence})` };
  }
  if (last.hash !== head.hash) return { sequence: last.sequence, reason: `the chain head does not match record ${last.sequence}` };
  if (head.maxStoredSequence !== null && BigInt(head.maxStoredSequence) > BigInt(head.sequence)) {
    return {
      sequence: next,
      reason: `records beyond the chain head (up to ${head.maxStoredSequence}) were not appended through the chain`,
    };
  }
  return null;
}
