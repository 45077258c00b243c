import { createHash } from 'node:crypto';
import type { AuditAction } from '@app/contracts';
import type { Reanchor } from './reanchor';

/** The `prev_hash` of the first record of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Bumped if the canonical form ever changes; it is hashed, so a record says which form it was hashed
 * in (a later form would verify older records with the old one).
 */
const CANONICAL_FORM_VERSION = 1;

/** What a record says, as stored: ids lower-case, instants as ISO-8601 with milliseconds (what Postgres gives back). */
export interface AuditRecordFields {
  id: string;
  occurredAt: string;
  recordedAt: string;
  action: AuditAction;
  success: boolean;
  userId: string;
  applicationId: string | null;
  namespaceId: string | null;
  entryId: string | null;
  keyPath: string | null;
  requestId: string | null;
  clientAddress: string | null;
  errorCode: string | null;
  eventType: string | null;
}

/** A record with its place in the chain. `sequence` is a decimal string (Postgres bigint). */
export interface ChainedAuditRecord extends AuditRecordFields {
  sequence: string;
  prevHash: string;
  hash: string;
}

/** Where the chain stands: the last record's sequence and hash (`0` and GENESIS_HASH for an empty chain). */
export interface ChainLink {
  sequence: string;
  hash: string;
}

export const GENESIS_LINK: ChainLink = { sequence: '0', hash: GENESIS_HASH };

/**
 * The bytes a record's hash covers: a JSON array in a fixed field order. An array of strings, booleans
 * and nulls has one JSON encoding, so the form does not depend on property order or on any library.
 */
export function canonicalAuditRecord(sequence: string, record: AuditRecordFields): string {
  return JSON.stringify([
    CANONICAL_FORM_VERSION,
    sequence,
    record.id,
    record.occurredAt,
    record.recordedAt,
    record.action,
    record.success,
    record.userId,
    record.applicationId,
    record.namespaceId,
    record.entryId,
    record.keyPath,
    record.requestId,
    record.clientAddress,
    record.errorCode,
    record.eventType,
  ]);
}

/** sha256(prev_hash || canonical form), hex. prev_hash has a fixed length, so the concatenation is unambiguous. */
export function auditRecordHash(prevHash: string, sequence: string, record: AuditRecordFields): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalAuditRecord(sequence, record), 'utf8').digest('hex');
}

/** Appends records to the chain after `head`: consecutive sequences, each hash over the one before. */
export function chainRecords(head: ChainLink, records: readonly AuditRecordFields[]): ChainedAuditRecord[] {
  let previous = head;
  return records.map((record) => {
    const sequence = (BigInt(previous.sequence) + 1n).toString();
    const chained = { ...record, sequence, prevHash: previous.hash, hash: auditRecordHash(previous.hash, sequence, record) };
    previous = chained;
    return chained;
  });
}

/** The first broken link found, named by the sequence where the chain stops checking. */
export interface ChainBreak {
  sequence: string;
  reason: string;
}

export interface ChainCheck {
  /** Records whose link checked. */
  checked: number;
  /** The last record that checked (where the next batch continues). */
  last: ChainLink;
  broken: ChainBreak | null;
  /** Sequences of the records that checked only through their re-anchoring. */
  reanchored: string[];
}

/**
 * Checks records, in sequence order, as the continuation of `start`, up to the first broken link (a gap, a `prev_hash`, a
 * recomputed hash). A record whose fields no longer match its hash passes only when an honoured re-anchoring names both
 * hashes. Pure, so that it runs batch by batch over a long chain.
 */
export function verifyChainLinks(
  start: ChainLink,
  records: readonly ChainedAuditRecord[],
  reanchors: ReadonlyMap<string, Reanchor> = new Map(),
): ChainCheck {
  let last = start;
  let checked = 0;
  const reanchored: string[] = [];
  const stop = (sequence: string, reason: string): ChainCheck => ({ checked, last, broken: { sequence, reason }, reanchored });
  for (const record of records) {
    const expected = (BigInt(last.sequence) + 1n).toString();
    if (record.sequence !== expected) {
      return stop(
        expected,
        BigInt(record.sequence) > BigInt(expected)
          ? `record ${expected} is missing (the next record is ${record.sequence})`
          : `record ${record.sequence} is out of order after ${last.sequence}`,
      );
    }
    if (record.prevHash !== last.hash)
      return stop(record.sequence, `record ${record.sequence} does not link to the hash of record ${last.sequence}`);
    const recomputed = auditRecordHash(record.prevHash, record.sequence, record);
    if (recomputed !== record.hash) {
      const reanchor = reanchors.get(record.sequence);
      if (reanchor?.recordHash !== record.hash || reanchor.storedHash !== recomputed) {
        return stop(record.sequence, `record ${record.sequence} does not match its hash (altered)`);
      }
      reanchored.push(record.sequence);
    }
    last = { sequence: record.sequence, hash: record.hash };
    checked += 1;
  }
  return { checked, last, broken: null, reanchored };
}
