import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** Development secrets of `npm run up`, made once and kept out of git in .kv-local/. Never for production. */
export interface LocalSecrets {
  jwtSecret: string;
}

export const LOCAL_SECRETS_FILE = join(repoRoot(), '.kv-local', 'secrets.json');

export function readLocalSecrets(): LocalSecrets | undefined {
  return existsSync(LOCAL_SECRETS_FILE) ? (JSON.parse(readFileSync(LOCAL_SECRETS_FILE, 'utf8')) as LocalSecrets) : undefined;
}

export function readOrCreateLocalSecrets(): LocalSecrets {
  const existing = readLocalSecrets();
  if (existing) return existing;
  mkdirSync(join(repoRoot(), '.kv-local'), { recursive: true });
  const secrets: LocalSecrets = { jwtSecret: randomBytes(48).toString('base64url') };
  writeFileSync(LOCAL_SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  console.warn(`\n!!! Generated DEVELOPMENT secrets in ${LOCAL_SECRETS_FILE} (JWT signing key). Never use them in production. !!!\n`);
  return secrets;
}
