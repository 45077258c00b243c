import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, KvException, type RpcErrorPayload } from '@app/contracts';
import { preparedStatement, queryPrepared } from '@app/service-kit/database';
import { DataSource } from 'typeorm';
import type { EntryServiceEnv } from '../config/entry-service-env';
import { CallIdentity, outcomeIdOf } from './call-identity';
import type { StoredOutcome } from './stored-outcome';

/** What a call with an idempotency key may do: go ahead (it holds the key now), or answer what the key's first request answered. */
export type KeyClaim = { proceed: true } | { proceed: false; outcome: StoredOutcome };

/**
 * Takes the key for this call: its first use, a retry of the same request once the call holding it has
 * passed its deadline (the lease), or a redelivery of the call holding it. One statement, in autocommit,
 * so that a concurrent retry sees the claim at once. A key's outcome counts only while the key does (the
 * outcome may have been stored later): once the key's window passed, both are forgotten.
 */
const CLAIM_KEY = preparedStatement(
  'request_outcome_claim_key',
  `WITH previous AS (SELECT fingerprint FROM idempotency_key WHERE key = $1 AND expires_at > now()),
   claimed AS (
     INSERT INTO idempotency_key AS k (key, fingerprint, call_id, lease_until, expires_at)
     VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000), now() + make_interval(secs => $5))
     ON CONFLICT (key) DO UPDATE SET
       call_id = EXCLUDED.call_id,
       lease_until = EXCLUDED.lease_until,
       fingerprint = EXCLUDED.fingerprint,
       expires_at = CASE WHEN k.expires_at <= now() THEN EXCLUDED.expires_at ELSE k.expires_at END
     WHERE k.expires_at <= now() OR (k.fingerprint = EXCLUDED.fingerprint AND (k.lease_until <= now() OR k.call_id = EXCLUDED.call_id))
     RETURNING 1
   ),
   forgotten AS (DELETE FROM request_outcome WHERE id = $6 AND NOT EXISTS (SELECT 1 FROM previous))
   SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
          (SELECT fingerprint FROM previous) AS fingerprint,
          (SELECT outcome FROM request_outcome WHERE id = $6 AND EXISTS (SELECT 1 FROM previous)) AS outcome`,
);

const FIND_OUTCOME = preparedStatement('request_outcome_find', 'SELECT outcome FROM request_outcome WHERE id = $1 AND expires_at > now()');

const RECORD_ERROR = preparedStatement(
  'request_outcome_record_error',
  `INSERT INTO request_outcome (id, outcome, expires_at) VALUES ($1, $2::jsonb, now() + make_interval(secs => $3))
   ON CONFLICT (id) DO NOTHING`,
);

const RELEASE_KEY = preparedStatement(
  'request_outcome_release_key',
  'UPDATE idempotency_key SET lease_until = now() WHERE key = $1 AND call_id = $2',
);

const PRUNE = [
  'DELETE FROM request_outcome WHERE ctid IN (SELECT ctid FROM request_outcome WHERE expires_at <= now() LIMIT $1)',
  'DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE expires_at <= now() LIMIT $1)',
];

// A call that gave no deadline holds its key this long.
const DEFAULT_LEASE_MS = 30_000;

/**
 * The outcomes of the changes an entry service applied, by call: a request it already committed is
 * answered from here instead of being applied again (see OutboxTransactions), and HTTP callers' keys.
 * Kept for `KV_CALL_OUTCOME_RETENTION_SECONDS` (redeliveries) or `KV_IDEMPOTENCY_KEY_RETENTION_SECONDS`
 * (keys), then pruned on the expiry sweep's interval.
 */
@Injectable()
export class RequestOutcomes implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RequestOutcomes.name);
  private readonly callRetentionSeconds: number;
  private readonly keyRetentionSeconds: number;
  private readonly pruneIntervalMs: number;
  private readonly pruneBatch: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<EntryServiceEnv, true>,
  ) {
    this.callRetentionSeconds = config.get('KV_CALL_OUTCOME_RETENTION_SECONDS', { infer: true });
    this.keyRetentionSeconds = config.get('KV_IDEMPOTENCY_KEY_RETENTION_SECONDS', { infer: true });
    this.pruneIntervalMs = config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true });
    this.pruneBatch = config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), this.pruneIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  retentionSecondsOf(call: CallIdentity): number {
    return call.idempotency ? this.keyRetentionSeconds : this.callRetentionSeconds;
  }

  /** For a call with an idempotency key, before its change: IDEMPOTENCY_KEY_REUSED or _IN_PROGRESS when it may not go ahead. */
  async claim(call: CallIdentity & { idempotency: NonNullable<CallIdentity['idempotency']> }): Promise<KeyClaim> {
    const [row] = await queryPrepared<{ claimed: boolean; fingerprint: string | null; outcome: StoredOutcome | null }>(
      this.dataSource,
      CLAIM_KEY,
      [
        call.idempotency.key,
        call.idempotency.fingerprint,
        call.callId,
        call.deadline ?? Date.now() + DEFAULT_LEASE_MS,
        this.keyRetentionSeconds,
        outcomeIdOf(call),
      ],
    );
    const reused = row!.fingerprint !== null && row!.fingerprint !== call.idempotency.fingerprint;
    if (reused) {
      throw new KvException(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was first used for another request (route or body)');
    }
    if (row!.outcome !== null) return { proceed: false, outcome: row!.outcome };
    if (row!.claimed) return { proceed: true };
    throw new KvException(
      ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
      'the first request with this Idempotency-Key is still being applied; send it again shortly',
    );
  }

  async find(call: CallIdentity): Promise<StoredOutcome | null> {
    const [row] = await queryPrepared<{ outcome: StoredOutcome }>(this.dataSource, FIND_OUTCOME, [outcomeIdOf(call)]);
    return row?.outcome ?? null;
  }

  /** After a change failed with a domain error: a retry with the same key gets that answer again. */
  async recordError(call: CallIdentity, error: RpcErrorPayload): Promise<void> {
    const outcome: StoredOutcome = { error: { code: error.code, message: error.message } };
    await queryPrepared(this.dataSource, RECORD_ERROR, [outcomeIdOf(call), JSON.stringify(outcome), this.retentionSecondsOf(call)]);
  }

  /** After a failure that left nothing: a retry need not wait for this call's deadline. Best effort. */
  async release(call: CallIdentity): Promise<void> {
    if (!call.idempotency) return;
    await queryPrepared(this.dataSource, RELEASE_KEY, [call.idempotency.key, call.callId]).catch(() => undefined);
  }

  async prune(): Promise<number> {
    try {
      let removed = 0;
      for (const statement of PRUNE) {
        const [, count] = (await this.dataSource.query(statement, [this.pruneBatch])) as [unknown, number];
        removed += count;
      }
      return removed;
    } catch (error) {
      this.logger.warn(`pruning request outcomes failed, will retry: ${(error as Error).message}`);
      return 0;
    }
  }
}
