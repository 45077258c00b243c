/**
 * `node dist/scripts/db-setup.js <service>` (`npm run db:setup -- <service>`): applies the pending
 * migrations of one service to the database at `KV_DATABASE_URL`, then exits. It is the one-shot
 * migration step of a deployment (a compose service, a Kubernetes Job): the database and its owner
 * exist already there, so nothing is created, and each run touches only the service it names.
 */
import { Command } from 'commander';
import { runMigrations } from './platform/databases';
import { SERVICES } from './platform/services';

const withDatabase = SERVICES.filter((service) => service.database);

const program = new Command()
  .name('db-setup')
  .description("Run one service's pending migrations against KV_DATABASE_URL")
  .argument('<service>', `one of ${withDatabase.map((service) => service.name).join(', ')}`)
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

/** Prints the message to stderr and exits with the usage-error code. */
function failUsage(message: string): never {
  return program.error(`error: ${message}`);
}

async function main(): Promise<void> {
  const [name] = program.parse().args;
  const service = withDatabase.find((candidate) => candidate.name === name);
  if (!service?.database) failUsage(`unknown service "${name}"; expected one of ${withDatabase.map((s) => s.name).join(', ')}`);
  const url = process.env.KV_DATABASE_URL;
  if (!url) failUsage('KV_DATABASE_URL is not set');

  const applied = await runMigrations(service.database.options(url));
  console.log(`[db-setup] ${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`);
}

main().catch((error: unknown) => {
  console.error(`[db-setup] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
