/** A token asked for on a command line (`npm run token`, `kv token`): checked, then minted. */
import { isKnownGrant } from '@app/permissions';
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mintToken, parseDuration } from './token-minter';

/** Where `npm run up` keeps its development secrets, from the repository root (git-ignored). */
export const LOCAL_SECRETS_PATH = '.kv-local/secrets.json';

/** The development signing key of `npm run up`, when run from the repository root (as npm runs scripts). */
function localSigningSecret(): string | undefined {
  const file = resolve(LOCAL_SECRETS_PATH);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: string }).jwtSecret : undefined;
}

export interface TokenRequest {
  sub: string;
  /** Comma-separated grants. */
  permissions: string;
  /** Comma-separated application ids, or `*`. */
  apps: string;
  /** 45s, 30m, 1h, 7d or seconds. */
  ttl: string;
  /** HS256 key; else the local development key of `npm run up`. */
  secret?: string;
}

/** Adds the options a TokenRequest is parsed from to a command that mints a token. */
export function withTokenRequestOptions(command: Command): Command {
  return (
    command
      .requiredOption('--sub <id>', 'subject (principal id) of the token')
      // No default: an all-powerful token must be asked for ('*'), never minted by omission.
      .requiredOption('--permissions <list>', "comma-separated grants, e.g. kv-entry:read,kv-namespace:*@<namespaceId>, or '*' for all")
      .option('--apps <list>', "comma-separated application ids, or '*' for all", '*')
      .option('--ttl <duration>', 'lifetime: 45s, 30m, 1h, 7d or seconds', '1h')
      // The environment keeps the secret out of shell history and the process list.
      .addOption(
        new Option('--secret <secret>', 'HS256 signing secret (default: KV_JWT_SECRET, else the local development key)').env(
          'KV_JWT_SECRET',
        ),
      )
  );
}

/** The request is wrong (a usage error, not a failure): the message says why, never the secret. */
export class TokenRequestError extends Error {}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export async function mintRequestedToken(request: TokenRequest): Promise<string> {
  const secret = request.secret || localSigningSecret();
  if (!secret) {
    throw new TokenRequestError(
      `no signing secret: pass --secret, set KV_JWT_SECRET, or run \`npm run up\` once to make ${LOCAL_SECRETS_PATH}`,
    );
  }
  const permissions = splitList(request.permissions);
  const unknownGrant = permissions.find((grant) => !isKnownGrant(grant));
  if (unknownGrant !== undefined) throw new TokenRequestError(`unknown permission '${unknownGrant}'`);
  let ttlSeconds: number;
  try {
    ttlSeconds = parseDuration(request.ttl);
  } catch (error) {
    throw new TokenRequestError((error as Error).message);
  }
  return mintToken({ secret, sub: request.sub, permissions, apps: splitList(request.apps), ttlSeconds });
}
