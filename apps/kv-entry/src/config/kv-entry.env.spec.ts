import { envValidator } from '@app/service-kit';
import { KvEntryEnv, cliDatabaseUrl } from './kv-entry.env';

describe('KvEntryEnv', () => {
  const validate = envValidator(KvEntryEnv);

  it('has working defaults', () => {
    expect(validate({})).toMatchObject({
      KV_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kv_entry',
      KV_HTTP_PORT: 8081,
      KV_EXPIRY_SWEEP_INTERVAL_MS: 30000,
      KV_EXPIRY_SWEEP_BATCH: 1000,
      KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: 0,
    });
  });

  it('reads numbers from env strings', () => {
    expect(
      validate({
        KV_HTTP_PORT: '18081',
        KV_EXPIRY_SWEEP_INTERVAL_MS: '1000',
        KV_EXPIRY_SWEEP_BATCH: '50',
        KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: '0.25',
      }),
    ).toMatchObject({
      KV_HTTP_PORT: 18081,
      KV_EXPIRY_SWEEP_INTERVAL_MS: 1000,
      KV_EXPIRY_SWEEP_BATCH: 50,
      KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: 0.25,
    });
  });

  it('stops on a bad value', () => {
    expect(() => validate({ KV_EXPIRY_SWEEP_BATCH: '0' })).toThrow(/KV_EXPIRY_SWEEP_BATCH/);
    expect(() => validate({ KV_DATABASE_URL: 'mysql://x' })).toThrow(/KV_DATABASE_URL/);
    // A probability: a typo must not leave the fault point on.
    expect(() => validate({ KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: '1.5' })).toThrow(/KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY/);
    expect(() => validate({ KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY: 'yes' })).toThrow(/KV_TEST_CRASH_AFTER_COMMIT_PROBABILITY/);
  });
});

describe('cliDatabaseUrl', () => {
  it('prefers KV_DATABASE_URL and falls back to the default', () => {
    expect(cliDatabaseUrl({ KV_DATABASE_URL: 'postgres://h/db' })).toBe('postgres://h/db');
    expect(cliDatabaseUrl({})).toBe('postgres://postgres@127.0.0.1:5432/kv_entry');
  });
});
