/**
 * `npm run audit:prune -- [--older-than <days>] [--archive <file.jsonl>] [--dry-run]` (default KV_AUDIT_RETENTION_DAYS), the
 * only thing that prunes audit records: oldest first, leaving a checkpoint so that verification still passes and the ids of
 * pruned records that occurred within KV_AUDIT_REDELIVERY_HORIZON_DAYS, so that none is stored again. An archive batch
 * (sequences and hashes included, so it verifies on its own) is synced before its records are deleted.
 */
import 'reflect-metadata';
import { open } from 'node:fs/promises';
import { envValidator } from '@app/service-kit';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { ChainedAuditRecord } from '../chain/audit-chain';
import { AuditEnv } from '../config/audit.env';
import { auditDataSourceOptions } from '../database/data-source';
import { countPrunable, pruneAuditRecords } from './audit-pruner';

interface PruneCommandOptions {
  olderThan?: number;
  archive?: string;
  batchSize: number;
  dryRun: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

function integerFrom(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return value;
  };
}

/** Appends records to a JSONL file and syncs it to disk, so that a batch is archived before it is deleted. */
export function jsonlArchive(path: string): (records: readonly ChainedAuditRecord[]) => Promise<void> {
  return async (records) => {
    const file = await open(path, 'a', 0o600);
    try {
      await file.writeFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
      await file.datasync();
    } finally {
      await file.close();
    }
  };
}

async function main(): Promise<void> {
  const options = new Command()
    .name('npm run audit:prune --')
    .description('Delete audit records older than a number of days (a prefix of the chain), optionally archiving them first')
    .option('--older-than <days>', 'age in days (default: KV_AUDIT_RETENTION_DAYS)', integerFrom(1, 36_500))
    .option('--archive <file.jsonl>', 'append the pruned records to this file first')
    .option('--batch-size <n>', 'records deleted per transaction', integerFrom(1, 100_000), 5000)
    .option('--dry-run', 'only count the records that would be pruned', false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse()
    .opts<PruneCommandOptions>();

  const env = envValidator(AuditEnv)(process.env);
  const days = options.olderThan ?? env.KV_AUDIT_RETENTION_DAYS;
  const cutoff = new Date(Date.now() - days * DAY_MS);
  const forgetIdsBefore = new Date(Date.now() - env.KV_AUDIT_REDELIVERY_HORIZON_DAYS * DAY_MS);
  const dataSource = await new DataSource({ ...auditDataSourceOptions(env.KV_DATABASE_URL), logging: false }).initialize();
  try {
    const prunable = await countPrunable(dataSource, cutoff);
    console.log(`${prunable} audit records were recorded before ${cutoff.toISOString()} (${days} days ago)`);
    if (options.dryRun || prunable === 0) return;
    const terminal = process.stdout.isTTY === true;
    const report = await pruneAuditRecords(dataSource, {
      cutoff,
      batchSize: options.batchSize,
      forgetIdsBefore,
      archive: options.archive === undefined ? undefined : jsonlArchive(options.archive),
      onBatch: (progress) => {
        if (terminal) process.stdout.write(`\r  … ${progress.pruned} of ${prunable} pruned (up to sequence ${progress.lastSequence})`);
      },
    });
    if (terminal) process.stdout.write('\n');
    console.log(
      `pruned ${report.pruned} audit records${report.lastSequence === null ? '' : `, up to sequence ${report.lastSequence} (the new checkpoint)`}` +
        (options.archive === undefined ? '' : `; archived to ${options.archive}`) +
        `; records that occurred before ${forgetIdsBefore.toISOString()} are refused from now on (KV_AUDIT_REDELIVERY_HORIZON_DAYS)`,
    );
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`audit prune failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
