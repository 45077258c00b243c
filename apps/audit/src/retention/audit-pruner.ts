import { DataSource } from 'typeorm';
import { ChainedAuditRecord } from '../chain/audit-chain';
import { AuditRecordRow } from '../records/audit-record.entity';
import { chainedRecordOf } from '../records/audit-records.repository';

/** Serialises prune runs: two at once would race for the same prefix and its checkpoint. */
const PRUNE_LOCK_KEY = 0x6b76_6175_6469; // "kvaudi"

export interface PruneOptions {
  /** Records recorded before this instant go. */
  cutoff: Date;
  batchSize: number;
  /**
   * The ids of pruned records that occurred before this instant are forgotten, and from now on the consumer refuses any
   * record that occurred before it (see STORED_FORM); never moved back. Without it every pruned id is remembered.
   */
  forgetIdsBefore?: Date;
  /** Called with each batch before it is deleted; when it throws, nothing of that batch is deleted. */
  archive?: (records: readonly ChainedAuditRecord[]) => Promise<void>;
  onBatch?: (progress: PruneProgress) => void;
}

export interface PruneProgress {
  pruned: number;
  /** The last pruned record, now the checkpoint verification starts from. */
  lastSequence: string | null;
}

/**
 * How many records a prune with this cutoff would delete: the prefix of the chain recorded before it.
 * `recorded_at` is the audit service's own clock; `occurred_at` comes from the producers, and a record
 * dated in the future by a producer must not hold the prune back, nor one dated in the past bring it forward.
 */
export async function countPrunable(dataSource: DataSource, cutoff: Date): Promise<number> {
  const rows: Array<{ n: string }> = await dataSource.query(
    `SELECT count(*) AS n FROM audit_record
      WHERE sequence < coalesce((SELECT min(sequence) FROM audit_record WHERE recorded_at >= $1), 9223372036854775807)`,
    [cutoff],
  );
  return Number(rows[0]!.n);
}

/**
 * Moves the horizon of pruned ids to `before` (if later) and forgets the ids of records that occurred before it, in one
 * statement: a consumer sees both or neither, so an id it can no longer find belongs to a record it refuses as too old.
 */
async function forgetPrunedIds(dataSource: DataSource, before: Date): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK_KEY]);
    await manager.query(
      `WITH horizon AS (
         UPDATE audit_pruned_id_horizon SET forgotten_before = greatest(forgotten_before, $1) WHERE id = 1 RETURNING forgotten_before)
       DELETE FROM audit_pruned_id WHERE occurred_at < (SELECT forgotten_before FROM horizon)`,
      [before],
    );
  });
}

/**
 * Deletes the oldest records (a prefix of the chain), batch by batch. Each batch is one transaction:
 * archive (optional), delete, remember the ids still within the horizon (see `forgetPrunedIds`), and a
 * checkpoint row naming the last deleted record, so that verification starts from there and still passes.
 * A failure leaves every committed batch pruned and the rest intact.
 */
export async function pruneAuditRecords(dataSource: DataSource, options: PruneOptions): Promise<PruneProgress> {
  const progress: PruneProgress = { pruned: 0, lastSequence: null };
  if (options.forgetIdsBefore !== undefined) await forgetPrunedIds(dataSource, options.forgetIdsBefore);
  for (;;) {
    const batch = await dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK_KEY]);
      const oldest: AuditRecordRow[] = await manager.query('SELECT * FROM audit_record ORDER BY sequence LIMIT $1', [options.batchSize]);
      const firstKept = oldest.findIndex((row) => row.recorded_at >= options.cutoff);
      const records = (firstKept === -1 ? oldest : oldest.slice(0, firstKept)).map(chainedRecordOf);
      if (records.length === 0) return records;
      await options.archive?.(records);
      const first = records[0]!;
      const last = records[records.length - 1]!;
      await manager.query(
        `WITH pruned AS (DELETE FROM audit_record WHERE sequence BETWEEN $1::bigint AND $2::bigint RETURNING id, occurred_at)
         INSERT INTO audit_pruned_id (id, occurred_at)
         SELECT id, occurred_at FROM pruned WHERE occurred_at >= (SELECT forgotten_before FROM audit_pruned_id_horizon WHERE id = 1)`,
        [first.sequence, last.sequence],
      );
      await manager.query('INSERT INTO audit_checkpoint (sequence, hash, records_pruned) VALUES ($1, $2, $3)', [
        last.sequence,
        last.hash,
        records.length,
      ]);
      return records;
    });
    if (batch.length === 0) return progress;
    progress.pruned += batch.length;
    progress.lastSequence = batch[batch.length - 1]!.sequence;
    options.onBatch?.({ ...progress });
    if (batch.length < options.batchSize) return progress;
  }
}
