import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedStatement, queryPrepared } from '@app/service-kit';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecordFields, ChainLink, ChainedAuditRecord, GENESIS_LINK, chainRecords } from '../chain/audit-chain';
import { AuditRecordRow } from './audit-record.entity';
import { IncomingAuditRecord } from './audit-message';
import { SqlQuery } from './audit-list-query';

/** The chain head as one statement saw it, with the highest sequence stored (a record beyond the head was not chained). */
export interface ChainHeadSnapshot extends ChainLink {
  maxStoredSequence: string | null;
}

export function chainedRecordOf(row: AuditRecordRow): ChainedAuditRecord {
  return {
    sequence: row.sequence,
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    action: row.action,
    success: row.success,
    userId: row.user_id,
    applicationId: row.application_id,
    namespaceId: row.namespace_id,
    entryId: row.entry_id,
    keyPath: row.key_path,
    requestId: row.request_id,
    clientAddress: row.client_address,
    errorCode: row.error_code,
    eventType: row.event_type,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Column order of the insert, each with its array type for unnest. */
const INSERT_COLUMNS: ReadonlyArray<[column: string, arrayType: string, of: (record: ChainedAuditRecord) => unknown]> = [
  ['sequence', 'bigint[]', (record) => record.sequence],
  ['id', 'uuid[]', (record) => record.id],
  ['occurred_at', 'timestamptz[]', (record) => record.occurredAt],
  ['recorded_at', 'timestamptz[]', (record) => record.recordedAt],
  ['action', 'text[]', (record) => record.action],
  ['success', 'boolean[]', (record) => record.success],
  ['user_id', 'text[]', (record) => record.userId],
  ['application_id', 'text[]', (record) => record.applicationId],
  ['namespace_id', 'uuid[]', (record) => record.namespaceId],
  ['entry_id', 'uuid[]', (record) => record.entryId],
  ['key_path', 'text[]', (record) => record.keyPath],
  ['request_id', 'text[]', (record) => record.requestId],
  ['client_address', 'text[]', (record) => record.clientAddress],
  ['error_code', 'text[]', (record) => record.errorCode],
  ['event_type', 'text[]', (record) => record.eventType],
  ['prev_hash', 'text[]', (record) => record.prevHash],
  ['hash', 'text[]', (record) => record.hash],
];

// The statements of every append, prepared: the insert of 16 arrays cost more to plan than to run.
const INSERT_RECORDS = preparedStatement(
  'audit_insert_records',
  `INSERT INTO audit_record (${INSERT_COLUMNS.map(([column]) => column).join(', ')})
   SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})`,
);
const LOCK_CHAIN_HEAD = preparedStatement('audit_lock_chain_head', 'SELECT last_sequence, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
const STORED_IDS = preparedStatement('audit_stored_ids', 'SELECT id FROM audit_record WHERE id = ANY($1::uuid[])');
const ADVANCE_CHAIN_HEAD = preparedStatement('audit_advance_chain_head', 'UPDATE audit_chain_head SET last_sequence = $1, last_hash = $2 WHERE id = 1');

/**
 * The audit tables, in hand-written SQL. Records are only ever appended (and a prefix pruned by the
 * retention command); every append locks the one chain head row, which serialises appends across
 * instances and makes the "already stored?" check exact.
 */
@Injectable()
export class AuditRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends the records not stored yet (by id), in one transaction, and says how many were new.
   * A record that appears twice in `records` is stored once.
   */
  async append(records: readonly IncomingAuditRecord[], recordedAt: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const heads = await queryPrepared<{ last_sequence: string; last_hash: string }>(manager, LOCK_CHAIN_HEAD, []);
      const head = heads[0];
      if (head === undefined) throw new Error('audit_chain_head has no row: run the migrations');
      const ids = [...new Set(records.map((record) => record.id))];
      const stored = await queryPrepared<{ id: string }>(manager, STORED_IDS, [ids]);
      const seen = new Set(stored.map((row) => row.id));
      const fresh: AuditRecordFields[] = [];
      for (const record of records) {
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        fresh.push({ ...record, recordedAt: recordedAt.toISOString() });
      }
      if (fresh.length === 0) return 0;
      const chained = chainRecords({ sequence: head.last_sequence, hash: head.last_hash }, fresh);
      await queryPrepared(manager, INSERT_RECORDS, INSERT_COLUMNS.map(([, , of]) => chained.map(of)));
      const last = chained[chained.length - 1]!;
      await queryPrepared(manager, ADVANCE_CHAIN_HEAD, [last.sequence, last.hash]);
      return chained.length;
    });
  }

  async list(query: SqlQuery): Promise<AuditRecordRow[]> {
    return this.dataSource.query(query.sql, query.parameters);
  }

  /**
   * Runs `work` on one snapshot of the database (REPEATABLE READ, read-only), so that a verification sees
   * the head, the checkpoint and every slice as of one moment, whatever a prune or an insert does meanwhile.
   */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return work(manager);
    });
  }

  /** The head and the highest stored sequence, from one snapshot. */
  async chainHead(manager: EntityManager = this.dataSource.manager): Promise<ChainHeadSnapshot> {
    const rows: Array<{ last_sequence: string; last_hash: string; max_sequence: string | null }> = await manager.query(
      'SELECT last_sequence, last_hash, (SELECT max(sequence) FROM audit_record) AS max_sequence FROM audit_chain_head WHERE id = 1',
    );
    const row = rows[0];
    if (row === undefined) throw new Error('audit_chain_head has no row: run the migrations');
    return { sequence: row.last_sequence, hash: row.last_hash, maxStoredSequence: row.max_sequence };
  }

  /** Where verification starts: the last prune's checkpoint, or the genesis. */
  async verificationStart(manager: EntityManager = this.dataSource.manager): Promise<ChainLink> {
    const rows: Array<{ sequence: string; hash: string }> = await manager.query(
      'SELECT sequence, hash FROM audit_checkpoint ORDER BY sequence DESC LIMIT 1',
    );
    return rows[0] ?? GENESIS_LINK;
  }

  /** Records after `afterSequence` up to `uptoSequence`, in chain order, `limit` at most. */
  async chainSlice(afterSequence: string, uptoSequence: string, limit: number, manager: EntityManager = this.dataSource.manager): Promise<ChainedAuditRecord[]> {
    const rows: AuditRecordRow[] = await manager.query(
      'SELECT * FROM audit_record WHERE sequence > $1::bigint AND sequence <= $2::bigint ORDER BY sequence LIMIT $3',
      [afterSequence, uptoSequence, limit],
    );
    return rows.map(chainedRecordOf);
  }
}
