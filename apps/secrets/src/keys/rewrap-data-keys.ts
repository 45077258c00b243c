/**
 * `npm run secrets:rewrap-keys`: re-wraps every namespace's data key under the active master key (the
 * first of KV_MASTER_KEYS), online. Values are not touched (they are sealed by the data keys, which do
 * not change), so running services keep reading throughout. Afterwards the report says which master keys
 * wrap nothing any more and can be removed from the keyring.
 */
import 'reflect-metadata';
import { envValidator } from '@app/service-kit';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { SecretsEnv } from '../config/secrets.env';
import { WrappedDataKey, rewrapDataKey } from '../crypto/envelope';
import { MasterKeyring } from '../crypto/master-keyring';
import { secretsDataSourceOptions } from '../database/data-source';
import { SecretNamespacesRepository } from '../namespaces/secret-namespaces.repository';
import { masterKeyringFrom } from './master-keyring.provider';
import { toStoreError } from './store-errors';

interface RewrapOptions {
  batchSize: number;
  dryRun: boolean;
}

export interface RewrapFailure {
  namespaceId: string;
  masterKeyId: string;
  reason: string;
}

export interface RewrapReport {
  rewrapped: number;
  /** Purged or re-wrapped by someone else between the read and the write. */
  skipped: number;
  /** Data keys that could not be unwrapped (their master key is missing, or the row is damaged); left as they were. */
  failed: RewrapFailure[];
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new InvalidArgumentError('must be an integer from 1 to 10000');
  return value;
}

/** Re-wraps, batch by batch, every live data key that the active master key does not wrap yet. */
export async function rewrapDataKeys(
  namespaces: SecretNamespacesRepository,
  keyring: MasterKeyring,
  batchSize: number,
  progress: (report: RewrapReport) => void = () => undefined,
): Promise<RewrapReport> {
  const report: RewrapReport = { rewrapped: 0, skipped: 0, failed: [] };
  let afterId: string | null = null;
  for (;;) {
    const batch = await namespaces.findWrappedByOtherKeys(keyring.activeKeyId, afterId, batchSize);
    if (batch.length === 0) return report;
    for (const record of batch) {
      const wrapped = record.wrappedDataKey!;
      let rewrapped: WrappedDataKey;
      try {
        rewrapped = rewrapDataKey(keyring, wrapped, record.id);
      } catch (error) {
        // One bad row must not stop the others; the report names it for an operator.
        const reason = (toStoreError(error, `data key of namespace ${record.id}`) as Error).message;
        report.failed.push({ namespaceId: record.id, masterKeyId: wrapped.masterKeyId, reason });
        continue;
      }
      if (await namespaces.replaceWrapping(record.id, wrapped, rewrapped)) report.rewrapped += 1;
      else report.skipped += 1;
    }
    afterId = batch[batch.length - 1]!.id;
    progress(report);
  }
}

async function main(): Promise<void> {
  const options = new Command()
    .name('npm run secrets:rewrap-keys --')
    .description('Re-wrap every data key under the active master key (the first of KV_MASTER_KEYS), online')
    .option('--batch-size <n>', 'namespaces read per batch', positiveInteger, 500)
    .option('--dry-run', 'only report how many data keys each master key wraps', false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse()
    .opts<RewrapOptions>();

  const env = envValidator(SecretsEnv)(process.env);
  const keyring = masterKeyringFrom(env);
  const dataSource = await new DataSource({ ...secretsDataSourceOptions(env.KV_DATABASE_URL), logging: false }).initialize();
  try {
    const namespaces = new SecretNamespacesRepository(dataSource);
    const before = await namespaces.countByMasterKey();
    console.log(`active master key: "${keyring.activeKeyId}"`);
    for (const { masterKeyId, namespaces: count } of before) console.log(`  "${masterKeyId}" wraps ${count} data keys`);
    if (options.dryRun) return;

    const report = await rewrapDataKeys(namespaces, keyring, options.batchSize, (progress) =>
      console.log(`  … ${progress.rewrapped} re-wrapped so far`),
    );
    console.log(
      `re-wrapped ${report.rewrapped} data keys under "${keyring.activeKeyId}"${report.skipped > 0 ? ` (${report.skipped} changed meanwhile, skipped)` : ''}`,
    );
    for (const failure of report.failed) {
      console.error(
        `  could not re-wrap the data key of namespace ${failure.namespaceId} (master key "${failure.masterKeyId}"): ${failure.reason}`,
      );
    }
    const after = await namespaces.countByMasterKey();
    const stillUsed = new Set(after.map((row) => row.masterKeyId));
    for (const { masterKeyId } of before) {
      if (!stillUsed.has(masterKeyId))
        console.log(`master key "${masterKeyId}" wraps no data key any more: it can be removed from KV_MASTER_KEYS`);
    }
    if (after.some((row) => row.masterKeyId !== keyring.activeKeyId)) {
      console.error(
        'some data keys are still wrapped by other master keys: fix the failures above, or run again if they were written meanwhile',
      );
      process.exitCode = 1;
    }
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // Configuration and key errors never quote key material (see parseMasterKeyring).
    console.error(`rewrap failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
