/**
 * `npm run token -- --sub ops --permissions 'kv-entry:read,kv-namespace:read' --apps app-1 --ttl 1h`:
 * mints an HS256 access token for the gateway and prints only the token, so it can be captured with
 * `export KV_TOKEN=$(npm run -s token -- ...)`.
 */
import { isKnownGrant } from '@app/permissions';
import { Command, Option } from 'commander';
import { mintToken, parseDuration } from '../apps/gateway/src/auth/token-minter';
import { LOCAL_SECRETS_FILE, readLocalSecrets } from './platform/local-secrets';

interface MintTokenCliOptions {
  sub: string;
  permissions: string;
  apps: string;
  ttl: string;
  secret?: string;
}

const program = new Command()
  .name('npm run token --')
  .description('Mint an HS256 access token for the KV gateway and print it')
  .requiredOption('--sub <id>', 'subject (principal id) of the token')
  .option('--permissions <list>', 'comma-separated grants, e.g. kv-entry:read,kv-namespace:*@<namespaceId>', '*')
  .option('--apps <list>', "comma-separated application ids, or '*' for all", '*')
  .option('--ttl <duration>', 'lifetime: 45s, 30m, 1h, 7d or seconds', '1h')
  // The environment keeps the secret out of shell history and the process list.
  .addOption(new Option('--secret <secret>', 'HS256 signing secret (default: KV_JWT_SECRET, else the local development key)').env('KV_JWT_SECRET'))
  // Every usage error, commander's own (e.g. a missing --sub) included, exits with 2 as is conventional.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

/** Prints the message to stderr and exits with the usage-error code. */
function failUsage(message: string): never {
  return program.error(`error: ${message}`);
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function ttlSecondsFrom(ttl: string): number {
  try {
    return parseDuration(ttl);
  } catch (error) {
    return failUsage((error as Error).message);
  }
}

async function main(): Promise<void> {
  const options = program.parse().opts<MintTokenCliOptions>();
  const secret = options.secret ?? readLocalSecrets()?.jwtSecret;
  if (!secret) {
    failUsage(`no signing secret: pass --secret, set KV_JWT_SECRET, or run \`npm run up\` once to make ${LOCAL_SECRETS_FILE}`);
  }
  const permissions = splitList(options.permissions);
  const unknownGrant = permissions.find((grant) => !isKnownGrant(grant));
  if (unknownGrant !== undefined) {
    failUsage(`unknown permission '${unknownGrant}'`);
  }
  const token = await mintToken({
    secret,
    sub: options.sub,
    permissions,
    apps: splitList(options.apps),
    ttlSeconds: ttlSecondsFrom(options.ttl),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
