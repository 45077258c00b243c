import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@app/service-kit';

export class AuditEnv extends ServiceEnv {
  override KV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kv_audit';
  override KV_HTTP_PORT = 8083;

  /** Unacknowledged audit records the consumer holds at once; bounds what waits while the database is away. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  KV_AUDIT_PREFETCH: number = 200;

  /** Records written per transaction at most. */
  @IsInt()
  @Min(1)
  @Max(5_000)
  KV_AUDIT_BATCH_SIZE: number = 100;

  /** How long the first record of a batch waits for others before the batch is written. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  KV_AUDIT_BATCH_LINGER_MS: number = 20;

  /** Default age (days) beyond which `npm run audit:prune` deletes records. Nothing prunes on its own. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  KV_AUDIT_RETENTION_DAYS: number = 365;

  /**
   * How long (days) after it occurred a record may still arrive and be told from a duplicate: `npm run audit:prune`
   * forgets the ids of pruned records older than that, and the consumer then refuses records older than that.
   */
  @IsInt()
  @Min(1)
  @Max(36_500)
  KV_AUDIT_REDELIVERY_HORIZON_DAYS: number = 90;
}
