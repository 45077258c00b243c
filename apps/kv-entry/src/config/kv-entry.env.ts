import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@app/service-kit';

/**
 * The kv-entry service's settings, validated once at boot (see `envValidator`). Numeric settings carry
 * an explicit `: number`: the emitted design type is what lets the validator convert the env string.
 */
export class KvEntryEnv extends ServiceEnv {
  override KV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kv_entry';
  override KV_HTTP_PORT = 8081;

  /** How often expired entries are deleted; reads hide them at once, the sweep only reclaims space. */
  @IsInt() @Min(100) @Max(24 * 3600 * 1000)
  KV_EXPIRY_SWEEP_INTERVAL_MS: number = 30_000;

  /** Rows deleted per statement by the sweep, so that one sweep never holds a long lock. */
  @IsInt() @Min(1) @Max(100_000)
  KV_EXPIRY_SWEEP_BATCH: number = 1000;
}

/**
 * The database URL for the TypeORM CLI, which runs outside Nest and so without ConfigService.
 * Never throws: importing the data source must not fail on an unrelated bad setting.
 */
export function cliDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.KV_DATABASE_URL ?? new KvEntryEnv().KV_DATABASE_URL;
}
