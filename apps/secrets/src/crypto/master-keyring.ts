import { randomBytes } from 'node:crypto';
import { KeyUnavailableError } from './crypto-errors';

export const MASTER_KEY_BYTES = 32;
/** The id given to the key of the simple form, `KV_MASTER_KEY`. */
export const DEFAULT_MASTER_KEY_ID = 'default';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Padded standard base64 only: Buffer.from(…, 'base64') would silently skip bad characters and truncate.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The raw configuration strings: `KV_MASTER_KEY` and `KV_MASTER_KEYS`. */
export interface MasterKeyringConfig {
  masterKey?: string;
  masterKeys?: string;
}

/**
 * The master keys that wrap data keys. The active key wraps new data keys; every key can unwrap.
 * Keys live in private fields so that logging or serialising a keyring shows only `activeKeyId`.
 */
export class MasterKeyring {
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(
    readonly activeKeyId: string,
    keys: ReadonlyMap<string, Buffer>,
  ) {
    if (!keys.has(activeKeyId)) throw new Error('the active master key must be in the keyring');
    this.#keys = new Map(keys);
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /** The key itself, shared, not a copy: use it, never change or keep it. */
  key(id: string): Buffer {
    const key = this.#keys.get(id);
    if (key === undefined) throw new KeyUnavailableError(id);
    return key;
  }
}

/**
 * Reads the keyring from configuration: exactly one of `KV_MASTER_KEY` (one key, id `default`) or
 * `KV_MASTER_KEYS` (`<keyId>:<base64>` separated by commas, the first active). Errors name the key id or
 * entry position that is wrong and never quote what was configured.
 */
export function parseMasterKeyring(config: MasterKeyringConfig): MasterKeyring {
  const masterKey = presentOrUndefined(config.masterKey);
  const masterKeys = presentOrUndefined(config.masterKeys);
  if (masterKey !== undefined && masterKeys === undefined) {
    const key = decodeMasterKey(masterKey, 'KV_MASTER_KEY');
    return new MasterKeyring(DEFAULT_MASTER_KEY_ID, new Map([[DEFAULT_MASTER_KEY_ID, key]]));
  }
  if (masterKeys !== undefined && masterKey === undefined) {
    const keys = parseKeyList(masterKeys);
    const [activeKeyId] = keys.keys();
    return new MasterKeyring(activeKeyId, keys);
  }
  throw new Error('set exactly one of KV_MASTER_KEY and KV_MASTER_KEYS');
}

/** A fresh random master key in the form `KV_MASTER_KEY` expects, for local development. */
export function generateDevelopmentMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

// An empty variable is how many deployment tools spell "unset".
function presentOrUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseKeyList(masterKeys: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  masterKeys.split(',').forEach((rawEntry, index) => {
    const position = `KV_MASTER_KEYS entry ${index + 1}`;
    const entry = rawEntry.trim();
    const separator = entry.indexOf(':');
    if (separator < 0) throw new Error(`${position} is not of the form <keyId>:<base64 key>`);
    const id = entry.slice(0, separator).trim();
    // An invalid id is not quoted: it may be key material pasted in the wrong place.
    if (!KEY_ID.test(id)) throw new Error(`${position} has an invalid key id (1-64 of A-Z a-z 0-9 . _ -)`);
    if (keys.has(id)) throw new Error(`${position}: key id "${id}" appears more than once`);
    keys.set(id, decodeMasterKey(entry.slice(separator + 1), `${position} (key id "${id}")`));
  });
  return keys;
}

function decodeMasterKey(encoded: string, label: string): Buffer {
  const trimmed = encoded.trim();
  if (!STRICT_BASE64.test(trimmed)) throw new Error(`${label} is not valid padded base64`);
  const decoded = Buffer.from(trimmed, 'base64');
  try {
    if (decoded.length !== MASTER_KEY_BYTES) {
      throw new Error(`${label} must decode to ${MASTER_KEY_BYTES} bytes, not ${decoded.length}`);
    }
    // Non-zero padding bits would be dropped silently, so two spellings would give one key.
    if (decoded.toString('base64') !== trimmed) throw new Error(`${label} is not canonical base64`);
    // A key of its own, outside Node's shared allocation pool, so nothing else lives beside it.
    const key = Buffer.alloc(MASTER_KEY_BYTES);
    decoded.copy(key);
    return key;
  } finally {
    decoded.fill(0);
  }
}
