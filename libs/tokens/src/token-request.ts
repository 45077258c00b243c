/** A token asked for on a command line (`npm run token`, `kv token`): checked, then minted. */
import { isKnownGrant } from '@app/permissions';
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
