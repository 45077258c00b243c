/**
 * `npm run token -- --sub ops --permissions 'kv-entry:read,kv-namespace:read' --apps app-1 --ttl 1h`:
 * mints an HS256 access token for the gateway and prints only the token, so it can be captured with
 * `export KV_TOKEN=$(npm run -s token -- ...)`. `kv token` does the same.
 */
import { Command } from 'commander';
import { mintRequestedToken, TokenRequest, TokenRequestError, withTokenRequestOptions } from '@app/tokens';

const program = withTokenRequestOptions(
  new Command().name('npm run token --').description('Mint an HS256 access token for the KV gateway and print it'),
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
