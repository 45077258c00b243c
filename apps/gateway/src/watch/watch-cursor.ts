import { ErrorCode, KvException } from '@app/contracts';

/**
 * Where a watch stands: the kv-entry revision it has seen through and, for a secret namespace (whose entries the secrets
 * service logs, its namespace changes kv-entry), the secrets revision too. Written as one opaque cursor: `42` for a plain
 * namespace, `42.17` for a secret one.
 */
export interface WatchPosition {
  entries: number;
  secrets: number | null;
}

// Revisions are bigints in Postgres; past 2^53 a number would round, and no log grows that far.
const REVISION = '(0|[1-9][0-9]{0,15})';
const PLAIN_CURSOR = new RegExp(`^${REVISION}$`);
const SECRET_CURSOR = new RegExp(`^${REVISION}\\.${REVISION}$`);

export function formatWatchCursor(position: WatchPosition): string {
  return position.secrets === null ? String(position.entries) : `${position.entries}.${position.secrets}`;
}

/** The position a cursor names, for a namespace of this kind; INVALID_REVISION if it is none of this kind's cursors. */
export function parseWatchCursor(text: string, secretNamespace: boolean): WatchPosition {
  const match = (secretNamespace ? SECRET_CURSOR : PLAIN_CURSOR).exec(text);
  if (match === null || !match.slice(1).every((part) => Number.isSafeInteger(Number(part)))) {
    const form = secretNamespace ? 'two revisions joined by a dot, e.g. 42.17' : 'a revision, e.g. 42';
    throw new KvException(
      ErrorCode.INVALID_REVISION,
      `not a revision of this namespace: expected what X-KV-Revision or an event id gave (${form})`,
    );
  }
  return { entries: Number(match[1]), secrets: secretNamespace ? Number(match[2]) : null };
}
