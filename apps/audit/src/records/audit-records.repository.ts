import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecordFields, ChainLink, ChainedAuditRecord, GENESIS_LINK, chainRecords } from '../chain/audit-chain';
import { Announcement, Reanchor, honouredReanchors, reanchorAnnouncementId } from '../chain/reanchor';
import { AuditRecordRow } from './audit-record.entity';
import { IncomingAuditRecord } from './audit-message';
import { SqlQuery } from './audit-list-query';

/** The chain head as one statement saw it, with the highest sequence stored (a record beyond the head was not chained). */
export interface ChainHeadSnapshot extends ChainLink {
  maxStoredSequence: string | null;
}

/** What an append did with its records: stored those it had not stored yet, and refused those too old to tell. */
export interface AppendOutcome {
  stored: number;
  /** Not stored before and not remembered: they occurred before the horizon of pruned ids, duplicates or not. */
  tooOld: number;
}

/** A record's fields as Postgres gives them back: what its hash covers, when it is stored and when it is verified. */
export function storedFieldsOf(row: Omit<AuditRecordRow, 'sequence' | 'prev_hash' | 'hash'>): AuditRecordFields {
  return {
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
  };
}

export function chainedRecordOf(row: AuditRecordRow): ChainedAuditRecord {
  return { sequence: row.sequence, ...storedFieldsOf(row), prevHash: row.prev_hash, hash: row.hash };
}

type Column<Of> = [column: string, arrayType: string, of: (record: Of) => unknown];

/** A record's own columns, as it arrived, each with its array type for unnest. */
const RECORD_COLUMNS: ReadonlyArray<Column<IncomingAuditRecord>> = [
  ['id', 'uuid[]', (record) => record.id],
  ['occurred_at', 'timestamptz[]', (record) => record.occurredAt],
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
];

/** Column order of the insert: the record's columns and the chain's. */
const INSERT_COLUMNS: ReadonlyArray<Column<ChainedAuditRecord>> = [
  ['sequence', 'bigint[]', (record) => record.sequence],
  ['recorded_at', 'timestamptz[]', (record) => record.recordedAt],
  ...RECORD_COLUMNS,
  ['prev_hash', 'text[]', (record) => record.prevHash],
  ['hash', 'text[]', (record) => record.hash],
];

// The statements of every append, prepared: the insert of 16 arrays cost more to plan than to run.
const INSERT_RECORDS = preparedStatement(
  'audit_insert_records',
  `INSERT INTO audit_record (${INSERT_COLUMNS.map(([column]) => column).join(', ')})
   SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})`,
);
const LOCK_CHAIN_HEAD = preparedStatement(
  'audit_lock_chain_head',
  'SELECT last_sequence, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
);
/**
 * The records cast as the insert casts them and given back as Postgres will give them back to a
 * verification, in the batch's order, each with whether its id is stored already (or was, until a prune)
 * and whether it occurred before the pruned ids still remembered (`too_old`). Hashing these rather
 * than what arrived makes the hash cover exactly what is stored, whatever a cast or the encoding of the
 * text does (a lone surrogate, say, is written as U+FFFD by the UTF-8 encoder). One snapshot sees the
 * ids and the horizon a prune moves together, so every id is either remembered or refused as too old.
 * Each id is looked up through its index (a lateral lookup a record): as `EXISTS` beside a join, the generic plan
 * guessed thousands of rows and hashed the whole table for every batch (a sequential scan, and JIT, measured in
 * docs/benchmark.md); apps/audit/test/query-plans.int-spec.ts holds the plan to lookups.
 */
export const STORED_FORM = preparedStatement(
  'audit_stored_form',
  `SELECT ${RECORD_COLUMNS.map(([column]) => `r.${column}`).join(', ')}, $${RECORD_COLUMNS.length + 1}::timestamptz AS recorded_at,
          (kept.id IS NOT NULL OR pruned.id IS NOT NULL) AS stored,
          r.occurred_at < (SELECT forgotten_before FROM audit_pruned_id_horizon WHERE id = 1) AS too_old
     FROM unnest(${RECORD_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ')})
          WITH ORDINALITY AS r(${RECORD_COLUMNS.map(([column]) => column).join(', ')}, position)
          LEFT JOIN LATERAL (SELECT a.id FROM audit_record a WHERE a.id = r.id LIMIT 1) kept ON true
          LEFT JOIN LATERAL (SELECT p.id FROM audit_pruned_id p WHERE p.id = r.id LIMIT 1) pruned ON true
    ORDER BY r.position`,
);
const ADVANCE_CHAIN_HEAD = preparedStatement(
  'audit_advance_chain_head',
  'UPDATE audit_chain_head SET last_sequence = $1, last_hash = $2 WHERE id = 1',
);

/**
 * The audit tables, in hand-written SQL. Records are only ever appended (and a prefix pruned by the
 * retention command); every append locks the one chain head row, which serialises appends across
 * instances and makes the "already stored?" check exact.
 */
@Injectable()
export class AuditRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends the records not stored yet (by id, pruned ones included), in one transaction. A record that appears twice in
   * `records` is stored once; one that occurred before the horizon of pruned ids is not stored (see STORED_FORM).
   */
  async append(records: readonly IncomingAuditRecord[], recordedAt: Date): Promise<AppendOutcome> {
    return this.dataSource.transaction((manager) => this.appendIn(manager, records, recordedAt));
  }

  /** `append` inside a transaction the caller holds (the re-anchoring command writes its own record with its anchor). */
  async appendIn(manager: EntityManager, records: readonly IncomingAuditRecord[], recordedAt: Date): Promise<AppendOutcome> {
    const heads = await queryPrepared<{ last_sequence: string; last_hash: string }>(manager, LOCK_CHAIN_HEAD, []);
    const head = heads[0];
    if (head === undefined) throw new Error('audit_chain_head has no row: run the migrations');
    const asStored = await queryPrepared<Omit<AuditRecordRow, 'sequence' | 'prev_hash' | 'hash'> & { stored: boolean; too_old: boolean }>(
      manager,
      STORED_FORM,
      [...RECORD_COLUMNS.map(([, , of]) => records.map(of)), recordedAt],
    );
    const seen = new Set<string>();
    const fresh: AuditRecordFields[] = [];
    let tooOld = 0;
    for (const row of asStored) {
      if (row.stored || seen.has(row.id)) continue;
      seen.add(row.id);
      if (row.too_old) tooOld += 1;
      else fresh.push(storedFieldsOf(row));
    }
    if (fresh.length === 0) return { stored: 0, tooOld };
    const chained = chainRecords({ sequence: head.last_sequence, hash: head.last_hash }, fresh);
    await queryPrepared(
      manager,
      INSERT_RECORDS,
      INSERT_COLUMNS.map(([, , of]) => chained.map(of)),
    );
    const last = chained[chained.length - 1]!;
    await queryPrepared(manager, ADVANCE_CHAIN_HEAD, [last.sequence, last.hash]);
    return { stored: chained.length, tooOld };
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

  /** The re-anchorings verification honours, by sequence (see `honouredReanchors`). */
  async honouredReanchors(manager: EntityManager = this.dataSource.manager): Promise<Map<string, Reanchor>> {
    const reanchors: Reanchor[] = await manager.query(
      'SELECT sequence, record_hash AS "recordHash", stored_hash AS "storedHash", reason, operator FROM audit_reanchor',
    );
    if (reanchors.length === 0) return new Map();
    const announcements: Announcement[] = await manager.query('SELECT id, sequence, action FROM audit_record WHERE id = ANY($1::uuid[])', [
      reanchors.map(reanchorAnnouncementId),
    ]);
    return honouredReanchors(reanchors, announcements);
  }

  /** Records after `afterSequence` up to `uptoSequence`, in chain order, `limit` at most. */
  async chainSlice(
    afterSequence: string,
    uptoSequence: string,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ChainedAuditRecord[]> {
    const rows: AuditRecordRow[] = await manager.query(
      'SELECT * FROM audit_record WHERE sequence > $1::bigint AND sequence <= $2::bigint ORDER BY sequence LIMIT $3',
      [afterSequence, uptoSequence, limit],
    );
    return rows.map(chainedRecordOf);
  }
}
