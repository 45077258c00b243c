/**
 * `npm run audit:reanchor -- --sequence <n> --operator <name> --reason <text> [--dry-run]`: lets `GET /audit/verify` check
 * the chain past a record stored other than hashed (a lone surrogate the old service stored as U+FFFD). Who did it and why
 * stays in `audit_reanchor` and an AUDIT_REANCHOR record of the chain; docs/operations.md says when to use it.
 */
import 'reflect-metadata';
import { isWellFormedText } from '@app/contracts';
import { envValidator } from '@app/service-kit';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { AuditEnv } from '../config/audit.env';
import { auditDataSourceOptions } from '../database/data-source';
import { ReanchorRefusedError, reanchorAuditRecord } from './audit-reanchorer';

interface ReanchorCommandOptions {
  sequence: string;
  operator: string;
  reason: string;
  dryRun: boolean;
}

/** Exit code of a refusal: the chain is not in the state re-anchoring mends. */
const EXIT_REFUSED = 3;

function sequence(text: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(text)) throw new InvalidArgumentError('must be a record sequence (a whole number from 1)');
  return text;
}

function text(max: number): (value: string) => string {
  return (value) => {
    if (value.trim() === '' || value.length > max || !isWellFormedText(value))
      throw new InvalidArgumentError(`must be text of 1 to ${max} characters, without U+0000`);
    return value;
  };
}

async function main(): Promise<void> {
  const options = new Command()
    .name('npm run audit:reanchor --')
    .description('Re-anchor audit verification after a record whose stored text differs from what was hashed')
    .requiredOption('--sequence <n>', 'the record verification stops at (firstBrokenSequence)', sequence)
    .requiredOption('--operator <name>', 'who re-anchors: the userId of the AUDIT_REANCHOR record', text(256))
    .requiredOption('--reason <text>', 'why, kept with the re-anchoring', text(1000))
    .option('--dry-run', 'only run the checks', false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse()
    .opts<ReanchorCommandOptions>();

  const env = envValidator(AuditEnv)(process.env);
  const dataSource = await new DataSource({ ...auditDataSourceOptions(env.KV_DATABASE_URL), logging: false }).initialize();
  try {
    const report = await reanchorAuditRecord(dataSource, options);
    console.log(
      options.dryRun
        ? `record ${report.sequence} can be re-anchored (its announcement would be audit record ${report.announcementId}); nothing was written`
        : `re-anchored record ${report.sequence}; announced by audit record ${report.announcementId} at sequence ${report.announcementSequence}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(
      `audit re-anchor ${error instanceof ReanchorRefusedError ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(error instanceof ReanchorRefusedError ? EXIT_REFUSED : 1);
  });
}
