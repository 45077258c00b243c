/**
 * Where the gateway is and who calls it: flags, else the environment (KV_URL, KV_TOKEN), else the
 * config file ($KV_CONFIG, else ~/.config/kv/config.json), each setting on its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './exit-codes';

export interface Connection {
  url: string;
  token: string;
}

interface ConfigFile {
  url?: string;
  token?: string;
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  return env.KV_CONFIG || join(homedir(), '.config', 'kv', 'config.json');
}

function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as ConfigFile;
  } catch (error) {
    throw new UsageError(`config file ${path} is not a JSON object with "url" and "token": ${(error as Error).message}`);
  }
}

export function resolveConnection(flags: Partial<Connection>, env: NodeJS.ProcessEnv): Connection {
  const path = configFilePath(env);
  // The file is read only when a flag or variable leaves something open.
  const file = (flags.url || env.KV_URL) && (flags.token || env.KV_TOKEN) ? {} : readConfigFile(path);
  const url = flags.url || env.KV_URL || file.url;
  const token = flags.token || env.KV_TOKEN || file.token;
  if (!url) throw new UsageError(`no gateway URL: pass --url, set KV_URL, or put "url" in ${path}`);
  if (!token) throw new UsageError(`no token: pass --token, set KV_TOKEN, or put "token" in ${path}`);
  return { url, token };
}
