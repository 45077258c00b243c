import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ServiceEnv } from '@app/service-kit';

/** Settings of a service that owns entries: they expire, and every change leaves an event in its outbox. */
export class EntryServiceEnv extends ServiceEnv {
  /** How often expired entries are deleted; reads hide them at once, the sweep only reclaims space. */
  @IsInt()
  @Min(100)
  @Max(24 * 3600 * 1000)
  KV_EXPIRY_SWEEP_INTERVAL_MS: number = 30_000;

  /** Rows deleted per statement by the sweep, so that one sweep never holds a long lock. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  KV_EXPIRY_SWEEP_BATCH: number = 1000;

  /** How often the outbox relay looks for unpublished events when no local commit woke it. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  KV_OUTBOX_POLL_INTERVAL_MS: number = 500;

  /** Events published (and confirmed by the broker) per relay round. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  KV_OUTBOX_BATCH: number = 500;

  /** How long the relay waits for the broker's confirms before it retries the batch. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  KV_OUTBOX_PUBLISH_TIMEOUT_MS: number = 10_000;

  /** How long a change's outcome is kept to answer a redelivery of its request, far beyond any request's lifetime. */
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  KV_CALL_OUTCOME_RETENTION_SECONDS: number = 3600;

  /** How long an HTTP caller's Idempotency-Key is remembered: a retry within it answers the first outcome. */
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  KV_IDEMPOTENCY_KEY_RETENTION_SECONDS: number = 24 * 3600;

  /** How long a change stays in the change log that watches resume from; older points answer 410 REVISION_COMPACTED. */
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  KV_CHANGE_LOG_RETENTION_SECONDS: number = 24 * 3600;

  /** The most changes the log keeps, whatever their age: the newest this many. */
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  KV_CHANGE_LOG_MAX_CHANGES: number = 1_000_000;

  /** How often the change log is pruned. */
  @IsInt()
  @Min(100)
  @Max(24 * 3600 * 1000)
  KV_CHANGE_LOG_PRUNE_INTERVAL_MS: number = 60_000;

  /**
   * Test-only fault point, 0 in production: the chance that the service kills itself (SIGKILL) right after a change
   * committed and before it answers, so that a test sees the redelivery and retry that such a crash leaves.
   */
  @IsNumber()
  @Min(0)
  @Max(1)
  KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: number = 0;
}
