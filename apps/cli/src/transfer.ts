/** `kv import` and `kv export`: files of entries, sent and fetched in bulk. */
import { BulkSetItem, bytesToBase64, Entry, JsonValue, KvClient, MAX_BULK_ITEMS } from '@kv-service/client';
import { SingleBar } from 'cli-progress';
import { formatDotenv, parseDotenv } from './dotenv-file';
import { flattenJson, JsonObject, unflattenJson } from './json-tree';
import { UsageError } from './exit-codes';

export type FileFormat = 'dotenv' | 'json';

/** Format from the file name when not given: `.json` is JSON, anything else a .env file. */
export function formatOfFile(file: string, format?: string): FileFormat {
  if (format === 'dotenv' || format === 'json') return format;
  if (format !== undefined) throw new UsageError(`unknown format ${format}: use dotenv or json`);
  return file.toLowerCase().endsWith('.json') ? 'json' : 'dotenv';
}

/** The entries a file holds, keys under `prefix`: .env values are strings; JSON values keep their type. */
export function itemsOfFile(text: string, format: FileFormat, prefix = ''): BulkSetItem[] {
  if (format === 'dotenv') return parseDotenv(text).map(([key, value]) => ({ key: `${prefix}${key}`, value, valueType: 'STRING' }));
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`not a JSON file: ${(error as Error).message}`);
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) throw new UsageError('a JSON file to import must hold an object');
  // Arrays, null and empty objects are JSON values; the rest keep their scalar type.
  return flattenJson(tree as JsonObject).map(([key, value]) => ({
    key: `${prefix}${key}`,
    value,
    valueType: typeof value === 'object' ? 'JSON' : undefined,
  }));
}

/** A key under `prefix` without it: `--prefix env` and `--prefix env/` name the same keys, the separator is no part of the name. */
export function keyRelativeTo(prefix: string, keyPath: string): string {
  return keyPath.slice(prefix.length).replace(/^\//, '');
}

/** The file for these entries, keys relative to `prefix` and sorted, so that an export of an import gives back a sorted file. */
export function fileOfEntries(entries: Entry[], format: FileFormat, prefix = ''): string {
  const leaves = entries
    .map((entry): [string, JsonValue] => [keyRelativeTo(prefix, entry.keyPath), jsonValueOf(entry)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (format === 'json') return `${JSON.stringify(unflattenJson(leaves), null, 2)}\n`;
  return formatDotenv(leaves.map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

function jsonValueOf(entry: Entry): JsonValue {
  return entry.value instanceof Uint8Array ? bytesToBase64(entry.value) : entry.value;
}

export interface ImportProgress {
  start(total: number): void;
  advance(done: number): void;
  stop(): void;
}

/** A bar on a terminal; nothing otherwise (a log or a pipe wants only the summary). */
export function progressFor(stream: NodeJS.WriteStream): ImportProgress {
  if (!stream.isTTY) return { start: () => undefined, advance: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream, format: 'importing [{bar}] {value}/{total} entries, {eta}s left', hideCursor: true });
  return { start: (total) => bar.start(total, 0), advance: (done) => bar.update(done), stop: () => bar.stop() };
}

/**
 * Sends the items in bulk calls of at most MAX_BULK_ITEMS; each call is all or nothing, the whole import is not.
 * With an idempotency key, call n sends `<key>-n`: an import run again with the same key replays the calls
 * that were applied and sends the rest.
 */
export async function importItems(
  client: KvClient,
  namespaceId: string,
  items: BulkSetItem[],
  progress: ImportProgress,
  idempotencyKey?: string,
): Promise<number> {
  progress.start(items.length);
  try {
    for (let start = 0; start < items.length; start += MAX_BULK_ITEMS) {
      const call = start / MAX_BULK_ITEMS + 1;
      await client.bulkSet(namespaceId, items.slice(start, start + MAX_BULK_ITEMS), {
        idempotencyKey: idempotencyKey === undefined ? undefined : `${idempotencyKey}-${call}`,
      });
      progress.advance(Math.min(start + MAX_BULK_ITEMS, items.length));
    }
  } finally {
    progress.stop();
  }
  return items.length;
}
