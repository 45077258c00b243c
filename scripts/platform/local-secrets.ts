import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCAL_SECRETS_PATH } from '@app/tokens';
import { repoRoot } from './repo-root';

/** Development secrets of `npm run up`, made once and kept out of git in .kv-local/. Never for production. */
export interface LocalSecrets {
  jwtSecret: string;
  /** Base64 of 32 random bytes: the secrets service's master key (KV_MASTER_KEY). */
  masterKey: string;
}

function generate(): LocalSecrets {
  return { jwtSecret: randomBytes(48).toString('base64url'), masterKey: randomBytes(32).toString('base64') };
}

export const LOCAL_SECRETS_FILE = join(repoRoot(), LOCAL_SECRETS_PATH);

export function readLocalSecrets(): LocalSecrets | undefined {
  return existsSync(LOCAL_SECRETS_FILE) ? (JSON.parse(readFileSync(LOCAL_SECRETS_FILE, 'utf8')) as LocalSecrets) : undefined;
}

/** The local secrets, completed with any that an older file lacks; new ones are announced loudly. */
export function readOrCreateLocalSecrets(): LocalSecrets {
  const existing: Partial<LocalSecrets> = readLocalSecrets() ?? {};
  const missing = (Object.keys(generate()) as Array<keyof LocalSecrets>).filter((name) => !existing[name]);
  if (missing.length === 0) return existing as LocalSecrets;
  const secrets = { ...generate(), ...existing };
  mkdirSync(dirname(LOCAL_SECRETS_FILE), { recursive: true });
  writeFileSync(LOCAL_SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  console.warn(
    `\n!!! Generated DEVELOPMENT secrets (${missing.join(', ')}) in ${LOCAL_SECRETS_FILE}.` +
      ` They protect only local data: never use them in production. !!!\n`,
  );
  return secrets;
}
