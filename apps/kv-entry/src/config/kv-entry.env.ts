import { EntryServiceEnv } from '@app/entry-store';

/**
 * The kv-entry service's settings, validated once at boot (see `envValidator`). Numeric settings carry
 * an explicit `: number`: the emitted design type is what lets the validator convert the env string.
 */
export class KvEntryEnv extends EntryServiceEnv {
  override KV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kv_entry';
  override KV_HTTP_PORT = 8081;
}

/**
 * The database URL for the TypeORM CLI, which runs outside Nest and so without ConfigService.
 * Never throws: importing the data source must not fail on an unrelated bad setting.
 */
export function cliDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.KV_DATABASE_URL ?? new KvEntryEnv().KV_DATABASE_URL;
}
