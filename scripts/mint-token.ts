/**
 * `npm run token -- --sub ops --permissions 'kv-entry:read,kv-namespace:read' --apps app-1 --ttl 1h`:
 * mints an HS256 access token for the gateway and prints only the token, so it can be captured with
 * `export KV_TOKEN=$(npm run -s token -- ...)`. `kv token` does the same.
 */
import { Command, Option } from 'commander';
import { mintRequestedToken, TokenRequest, TokenRequestError } from '@app/tokens';

const program = new Command()
  .name('npm run token --')
  .description('Mint an HS256 access token for the KV gateway and print it')
  .requiredOption('--sub <id>', 'subject (principal id) of the token')
  // No default: an all-powerful token must be asked for ('*'), never minted by omission.
  .requiredOption('--permissions <list>', "comma-separated grants, e.g. kv-entry:read,kv-namespace:*@<namespaceId>, or '*' for all")
  .option('--apps <list>', "comma-separated application ids, or '*' for all", '*')
  .option('--ttl <duration>', 'lifetime: 45s, 30m, 1h, 7d or seconds', '1h')
  // The environment keeps the secret out of shell history and the process list.
  .addOption(
    new Option('--secret <secret>', 'HS256 signing secret (default: KV_JWT_SECRET, else the local development key)').env('KV_JWT_SECRET'),
  )
  // Every usage error, commander's own (e.g. a missing --sub) included, exits with 2 as is conventional.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

async function main(): Promise<void> {
  const token = await mintRequestedToken(program.parse().opts<TokenRequest>());
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof TokenRequestError) program.error(`error: ${error.message}`);
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
