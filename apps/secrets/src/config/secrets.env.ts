import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { EntryServiceEnv } from '@app/entry-store';

/**
 * The secrets service's settings, validated once at boot. The master keyring itself is parsed and
 * checked by `masterKeyringFrom` (its errors never quote key material).
 */
export class SecretsEnv extends EntryServiceEnv {
  override KV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kv_secrets';
  override KV_HTTP_PORT = 8082;

  /** One master key (base64 of 32 bytes), id `default`. Exactly one of this and KV_MASTER_KEYS. */
  @IsOptional()
  @IsString()
  KV_MASTER_KEY?: string;

  /** A keyring `<id>:<base64>,<id>:<base64>`: the first key wraps new data keys, all of them unwrap. */
  @IsOptional()
  @IsString()
  KV_MASTER_KEYS?: string;

  /** How long an unwrapped data key stays in memory. */
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  KV_DATA_KEY_CACHE_TTL_MS: number = 5 * 60 * 1000;

  /** How many unwrapped data keys (one per namespace) are kept at most. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  KV_DATA_KEY_CACHE_SIZE: number = 10_000;
}

/** The database URL for the CLIs, which run outside Nest. Never throws. */
export function cliDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.KV_DATABASE_URL ?? new SecretsEnv().KV_DATABASE_URL;
}
