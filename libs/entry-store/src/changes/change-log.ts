import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChangeLogPage, ChangeLogRequest, ErrorCode, KvEvent, KvException } from '@app/contracts';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import type { EntryServiceEnv } from '../config/entry-service-env';

/** The query of a read that reports its revision: the last one given out, as the read's own statement sees it. */
export const HEAD_REVISION_SQL = '(SELECT revision FROM change_log_head)';

/**
 * `pageSql` (a page of entry rows with `id` and `key_path`) with the change log's head of the same snapshot, in key order:
 * a lower bound of what the page reflects, even when it is empty (then one row of nulls but the head).
 */
export function withHeadRevisionSql(pageSql: string): string {
  return `SELECT h.revision AS head_revision, page.* FROM change_log_head h LEFT JOIN LATERAL (${pageSql}) page ON true
           ORDER BY page.key_path`;
}

/** The rows and the head of a `withHeadRevisionSql` statement. */
export function rowsWithHead<R extends { id: unknown }>(
  rows: ReadonlyArray<R & { head_revision: string }>,
): { rows: R[]; revision: number } {
  return {
    rows: rows.filter((row) => row.id !== null).map(({ head_revision: _head, ...row }) => row as unknown as R),
    revision: Number(rows[0]!.head_revision),
  };
}

const HEAD = preparedStatement('change_log_head', 'SELECT revision FROM change_log_head');

// One page of changes after $1 up to the head of the same snapshot, so that `through` never claims one not yet visible.
const pageStatement = (name: string, filter: string): ReturnType<typeof preparedStatement> =>
  preparedStatement(
    name,
    `SELECT h.revision AS head, h.compacted_through, c.revision, c.event
       FROM change_log_head h
       LEFT JOIN LATERAL (
         SELECT revision, event FROM change_log
          WHERE revision > $1 AND revision <= h.revision ${filter}
          ORDER BY revision LIMIT $2
       ) c ON true`,
  );
const ALL_AFTER = pageStatement('change_log_all_after', '');
// Namespace changes have no key: a prefix never hides them.
const NAMESPACE_AFTER = pageStatement(
  'change_log_namespace_after',
  'AND namespace_id = $3 AND (key_path IS NULL OR $4::text IS NULL OR starts_with(key_path, $4::text))',
);

/**
 * The relay's append, in the round's transaction: the published rows leave the outbox and enter the log with the next
 * revisions, in their sequence order. One relay at a time holds the round's lock, so revisions grow in commit order.
 */
const APPEND_PUBLISHED = preparedStatement(
  'change_log_append_published',
  `WITH removed AS (
     DELETE FROM outbox_event WHERE sequence = ANY($1::bigint[]) RETURNING sequence, event
   ), numbered AS (
     SELECT event, row_number() OVER (ORDER BY sequence) AS position FROM removed
   ), advanced AS (
     UPDATE change_log_head SET revision = revision + (SELECT count(*) FROM numbered)
     RETURNING revision - (SELECT count(*) FROM numbered) AS base, revision
   ), logged AS (
     INSERT INTO change_log (revision, namespace_id, key_path, event)
     SELECT advanced.base + numbered.position, (numbered.event ->> 'namespaceId')::uuid, numbered.event ->> 'keyPath', numbered.event
       FROM numbered, advanced
   )
   SELECT revision FROM advanced`,
);

/**
 * Prunes the oldest changes, at most $3 a statement: those older than $2 seconds, and those more than $1 revisions behind
 * the head. Two replicas pruning at once only repeat each other's deletes; the mark only ever moves forward.
 */
const PRUNE = preparedStatement(
  'change_log_prune',
  `WITH head AS (SELECT revision, compacted_through FROM change_log_head),
   oldest AS (
     SELECT revision, logged_at FROM change_log WHERE revision > (SELECT compacted_through FROM head) ORDER BY revision LIMIT $3
   ),
   cut AS (
     SELECT LEAST((SELECT compacted_through FROM head) + $3, GREATEST(
              (SELECT revision FROM head) - $1,
              COALESCE((SELECT max(revision) FROM oldest WHERE logged_at < clock_timestamp() - make_interval(secs => $2)), 0))) AS through
   ),
   pruned AS (
     DELETE FROM change_log WHERE revision > (SELECT compacted_through FROM head) AND revision <= (SELECT through FROM cut)
   )
   UPDATE change_log_head SET compacted_through = (SELECT through FROM cut)
    WHERE (SELECT through FROM cut) > compacted_through
   RETURNING compacted_through`,
);
const PRUNE_BATCH = 10_000;

/** The last revision given out: a read that asks for it before it reads reports it as its own (a lower bound). */
export async function headRevisionOf(source: DataSource | EntityManager): Promise<number> {
  const [head] = await queryPrepared<{ revision: string }>(source, HEAD, []);
  return Number(head!.revision);
}

interface PageRow {
  head: string;
  compacted_through: string;
  revision: string | null;
  event: KvEvent | null;
}

export function revisionCompacted(after: number, compactedThrough: number): KvException {
  return new KvException(
    ErrorCode.REVISION_COMPACTED,
    `revision ${after} is no longer in the change log (it keeps the changes after ${compactedThrough}): read again and watch from the read's revision`,
  );
}

/**
 * This service's change log (see ChangeLogRequest): pages of it for watches, the relay's append, and the pruning that
 * keeps it within KV_CHANGE_LOG_RETENTION_SECONDS and KV_CHANGE_LOG_MAX_CHANGES.
 */
@Injectable()
export class ChangeLog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChangeLog.name);
  private readonly retentionSeconds: number;
  private readonly maxChanges: number;
  private readonly pruneIntervalMs: number;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<EntryServiceEnv, true>,
  ) {
    this.retentionSeconds = config.get('KV_CHANGE_LOG_RETENTION_SECONDS', { infer: true });
    this.maxChanges = config.get('KV_CHANGE_LOG_MAX_CHANGES', { infer: true });
    this.pruneIntervalMs = config.get('KV_CHANGE_LOG_PRUNE_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => {
      this.pruning ??= this.prune()
        .catch((error: Error) => this.logger.warn(`change log not pruned (${error.message}); retrying`))
        .finally(() => (this.pruning = undefined));
    }, this.pruneIntervalMs);
    this.pruneTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.pruning;
  }

  headRevision(): Promise<number> {
    return headRevisionOf(this.dataSource);
  }

  /** The changes `request` asks for; the caller was authorized for its namespace, if it names one. */
  async page(request: Pick<ChangeLogRequest, 'after' | 'namespaceId' | 'prefix' | 'limit'>): Promise<ChangeLogPage> {
    if (request.after === null) {
      const revision = await this.headRevision();
      return { changes: [], through: revision, head: revision };
    }
    const rows =
      request.namespaceId === undefined
        ? await queryPrepared<PageRow>(this.dataSource, ALL_AFTER, [request.after, request.limit])
        : await queryPrepared<PageRow>(this.dataSource, NAMESPACE_AFTER, [
            request.after,
            request.limit,
            request.namespaceId,
            request.prefix ?? null,
          ]);
    return pageOf(request.after, request.limit, rows);
  }

  /** In the relay's round: moves the published outbox rows into the log; the log's new head. */
  async appendPublished(manager: EntityManager, sequences: readonly string[]): Promise<number> {
    const [advanced] = await queryPrepared<{ revision: string }>(manager, APPEND_PUBLISHED, [sequences]);
    return Number(advanced!.revision);
  }

  /** Prunes what the retention settings let go, a batch a statement, until nothing is left to prune. */
  async prune(): Promise<void> {
    for (;;) {
      const rows = await queryPrepared<{ compacted_through: string }>(this.dataSource, PRUNE, [
        this.maxChanges,
        this.retentionSeconds,
        PRUNE_BATCH,
      ]);
      if (rows.length === 0) return;
      this.logger.debug(`change log pruned through revision ${rows[0]!.compacted_through}`);
    }
  }
}

/** A page from its rows (one, with null change columns, when there is no change). */
export function pageOf(after: number, limit: number, rows: readonly PageRow[]): ChangeLogPage {
  const head = Number(rows[0]!.head);
  const compactedThrough = Number(rows[0]!.compacted_through);
  if (after < compactedThrough) throw revisionCompacted(after, compactedThrough);
  if (after > head) {
    throw new KvException(ErrorCode.INVALID_REVISION, `revision ${after} is ahead of this store's change log (at ${head})`);
  }
  const changes = rows.filter((row) => row.revision !== null).map((row) => ({ revision: Number(row.revision), event: row.event! }));
  const through = changes.length === limit ? changes[changes.length - 1]!.revision : head;
  return { changes, through, head };
}
