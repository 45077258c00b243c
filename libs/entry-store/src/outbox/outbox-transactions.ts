import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, KvException, type KvEvent, type Replayed } from '@app/contracts';
import { isUniqueViolation } from '@app/service-kit';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { DataSource, EntityManager } from 'typeorm';
import type { EntryServiceEnv } from '../config/entry-service-env';
import { CallIdentity, assertBeforeDeadline, outcomeIdOf } from '../deduplication/call-identity';
import { REQUEST_OUTCOME_PKEY } from '../deduplication/request-outcome-tables';
import { RequestOutcomes } from '../deduplication/request-outcomes';
import { OutcomeCodec, PLAIN_OUTCOME, StoredOutcome, markReplayed, replayedError } from '../deduplication/stored-outcome';
import { Change, ChangeCaller, ChangeOrigin, changeOriginOf } from './change';
import type { OutcomeSlot } from './kv-events';
import { OutboxRelay } from './outbox-relay';

/** A one-statement change's result, and whether it is the stored outcome of an earlier commit of the same call. */
export interface StatementOutcome<T> {
  result: T;
  replayed: boolean;
}

// Failures that say nothing about the request itself: a retry may well succeed, so they are never kept as its answer.
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.SERVICE_TIMEOUT,
  ErrorCode.MASTER_KEY_UNAVAILABLE,
  ErrorCode.DECRYPTION_FAILED,
  ErrorCode.INTERNAL_ERROR,
]);

/**
 * The only way entry services change data: `work` runs in a transaction, the events it returns are
 * appended to the outbox in that same transaction (so an event exists exactly when its change
 * committed), and the relay is woken once it committed. Append after the statements that lock the
 * changed rows, which the end of `work` always is (see OUTBOX_TABLE_V1).
 *
 * A change of a call (`origin.call`) is applied once: its outcome is stored in its transaction, under
 * the call's id or its idempotency key, and a second commit fails on that key and answers the first
 * outcome instead (a redelivery, a retry racing its first attempt), as does a failure of a call whose
 * first attempt committed (a conditional write that would now conflict with itself).
 */
@Injectable()
export class OutboxTransactions {
  private readonly crashAfterCommitProbability: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly outcomes: RequestOutcomes,
    config: ConfigService<EntryServiceEnv, true>,
  ) {
    this.crashAfterCommitProbability = config.get('KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY', { infer: true });
  }

  /**
   * The caller's call goes in whole, so that what the change records of it is derived here, once
   * (`changeOriginOf`). The change's result is the caller's reply as it stands (a replay answers the stored
   * one, marked); `codec`: how it is stored (as it is by default; a service seals one that holds secret values).
   */
  async run<T>(
    caller: ChangeCaller,
    work: (manager: EntityManager, origin: ChangeOrigin) => Promise<Change<T>>,
    codec: OutcomeCodec<T> = PLAIN_OUTCOME as OutcomeCodec<T>,
  ): Promise<Replayed<T>> {
    const origin = changeOriginOf(caller);
    const call = origin.call ?? null;
    const outcome = await this.once(call, codec.decode, async () => {
      const { result, events } = await this.dataSource.transaction(async (manager) => {
        const change = await work(manager, origin);
        // The caller was answered 503 meanwhile: it must not find this change applied behind its back.
        if (call !== null) assertBeforeDeadline(call.deadline);
        await appendChange(manager, {
          expired: change.expired ?? [],
          events: change.events,
          clientAddress: origin.clientAddress,
          outcome:
            call === null
              ? null
              : { id: outcomeIdOf(call), stored: codec.encode(change.result), retentionSeconds: this.outcomes.retentionSecondsOf(call) },
        });
        return change;
      });
      this.crashAfterCommit();
      if (events.length > 0) this.relay.wake();
      return result;
    });
    return outcome.replayed ? markReplayed(outcome.result) : (outcome.result as Replayed<T>);
  }

  /**
   * A change that is one statement appending its own events and storing its outcome (see
   * `appendingWrittenEventsSql`): in autocommit that statement is the transaction, one round trip where
   * `run` takes four. `fromRows` maps a stored outcome's rows as the statement's own are mapped.
   */
  async runStatement<T>(
    caller: ChangeCaller,
    statement: (origin: ChangeOrigin, slot: OutcomeSlot | null) => Promise<T>,
    fromRows: (rows: unknown[]) => T,
  ): Promise<StatementOutcome<T>> {
    const origin = changeOriginOf(caller);
    const call = origin.call ?? null;
    const slot =
      call === null ? null : { id: outcomeIdOf(call), retentionSeconds: this.outcomes.retentionSecondsOf(call), deadline: call.deadline };
    return this.once(
      call,
      (stored) => {
        if ('rows' in stored) return fromRows(stored.rows);
        throw new Error('a stored outcome of another form');
      },
      async () => {
        const result = await statement(origin, slot);
        this.crashAfterCommit();
        this.relay.wake();
        return result;
      },
    );
  }

  /** The test-only fault point (KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY): the process dies between a commit and its reply. */
  private crashAfterCommit(): void {
    if (Math.random() < this.crashAfterCommitProbability) process.kill(process.pid, 'SIGKILL');
  }

  private async once<T>(
    call: CallIdentity | null,
    decode: (stored: StoredOutcome) => T,
    apply: () => Promise<T>,
  ): Promise<StatementOutcome<T>> {
    if (call === null) return { result: await apply(), replayed: false };
    assertBeforeDeadline(call.deadline);
    if (call.idempotency) {
      const claim = await this.outcomes.claim({ ...call, idempotency: call.idempotency });
      if (!claim.proceed) return { result: replayed(claim.outcome, decode), replayed: true };
    }
    try {
      return { result: await apply(), replayed: false };
    } catch (error) {
      const domainError = error instanceof KvException;
      if (!domainError && !isUniqueViolation(error, REQUEST_OUTCOME_PKEY)) {
        await this.outcomes.release(call);
        throw error;
      }
      const stored = await this.outcomes.find(call);
      if (stored !== null) return { result: replayed(stored, decode), replayed: true };
      if (domainError && call.idempotency && !TRANSIENT_CODES.has(error.code)) {
        // Best effort: unrecorded, a retry applies the request again once this call's lease is over.
        await this.outcomes.recordError(call, error.toPayload()).catch(() => this.outcomes.release(call));
      } else {
        await this.outcomes.release(call);
      }
      throw error;
    }
  }
}

function replayed<T>(stored: StoredOutcome, decode: (stored: StoredOutcome) => T): T {
  const error = replayedError(stored);
  if (error !== null) throw error;
  return decode(stored);
}

/**
 * A transaction's closing writes, in one round trip where they took up to three: the events of entries found expired
 * (no client address), then the change's own, in that order in the outbox, and the call's outcome when it has one
 * (a second commit of the call fails here, on its key: see `run`).
 */
const APPEND_CHANGE = preparedStatement(
  'outbox_append_change',
  `WITH outcome AS (
     INSERT INTO request_outcome (id, outcome, expires_at)
     SELECT $4::text, $5::jsonb, now() + make_interval(secs => $6::integer) WHERE $4::text IS NOT NULL
   )
   INSERT INTO outbox_event (id, routing_key, event, client_address)
   SELECT (item->>'id')::uuid, item->>'type', item, address
     FROM (SELECT item, position, 1 AS part, NULL::text AS address FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(item, position)
           UNION ALL
           SELECT item, position, 2, $3::text FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS b(item, position)) items
    ORDER BY part, position`,
);

interface ClosingWrites {
  expired: readonly KvEvent[];
  events: readonly KvEvent[];
  clientAddress: string | null;
  outcome: { id: string; stored: StoredOutcome; retentionSeconds: number } | null;
}

async function appendChange(manager: EntityManager, { expired, events, clientAddress, outcome }: ClosingWrites): Promise<void> {
  if (expired.length === 0 && events.length === 0 && outcome === null) return;
  await queryPrepared(manager, APPEND_CHANGE, [
    JSON.stringify(expired),
    JSON.stringify(events),
    clientAddress,
    outcome?.id ?? null,
    outcome === null ? null : JSON.stringify(outcome.stored),
    outcome?.retentionSeconds ?? null,
  ]);
}

/** One statement for all the events, in their order. */
export async function appendToOutbox(manager: EntityManager, events: readonly KvEvent[], clientAddress: string | null): Promise<void> {
  if (events.length === 0) return;
  await manager.query(
    `INSERT INTO outbox_event (id, routing_key, event, client_address)
     SELECT (item->>'id')::uuid, item->>'type', item, $2 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS items(item, position)
      ORDER BY position`,
    [JSON.stringify(events), clientAddress],
  );
}
