import { createHash } from 'node:crypto';
import { AuditAction } from '@app/contracts';

/**
 * An operator's acknowledgement that the stored text of record `sequence` differs from what was hashed
 * when it was appended (as the audit service once stored a lone surrogate as U+FFFD but hashed it as
 * sent), so that verification goes on past it instead of stopping there for ever.
 */
export interface Reanchor {
  sequence: string;
  /** The record's hash column: what was hashed when it was appended, and what the next record links to. */
  recordHash: string;
  /** Its hash recomputed over what is stored, at re-anchoring: any later change of the record breaks it again. */
  storedHash: string;
  reason: string;
  operator: string;
}

/** A stored record that may announce a re-anchoring. */
export interface Announcement {
  id: string;
  sequence: string;
  action: string;
}

const ANNOUNCEMENT_FORM_VERSION = 1;

/**
 * The id of the AUDIT_REANCHOR record that announces `reanchor` in the chain, derived from everything it
 * says: a re-anchoring changed afterwards (another stored hash, another reason) names no stored record,
 * and is not honoured. A UUID of version 8 (RFC 9562, custom) over sha256.
 */
export function reanchorAnnouncementId(reanchor: Reanchor): string {
  const hex = createHash('sha256')
    .update(
      JSON.stringify([
        'audit-reanchor',
        ANNOUNCEMENT_FORM_VERSION,
        reanchor.sequence,
        reanchor.recordHash,
        reanchor.storedHash,
        reanchor.reason,
        reanchor.operator,
      ]),
      'utf8',
    )
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The re-anchorings verification honours, by sequence: those announced by an AUDIT_REANCHOR record with
 * their id, stored after the record they re-anchor. The announcement is a link of the chain like any
 * other, so a re-anchoring cannot be added, changed or backdated without breaking the chain after it;
 * and the audit service refuses that action from the broker, so only the command writes one.
 */
export function honouredReanchors(reanchors: readonly Reanchor[], announcements: readonly Announcement[]): Map<string, Reanchor> {
  const byId = new Map(announcements.map((announcement) => [announcement.id, announcement]));
  const honoured = new Map<string, Reanchor>();
  for (const reanchor of reanchors) {
    const announcement = byId.get(reanchorAnnouncementId(reanchor));
    if (announcement?.action === AuditAction.AUDIT_REANCHOR && BigInt(announcement.sequence) > BigInt(reanchor.sequence)) {
      honoured.set(reanchor.sequence, reanchor);
    }
  }
  return honoured;
}
