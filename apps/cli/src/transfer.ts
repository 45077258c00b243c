/** `kv import` and `kv export`: files of entries (read and written by libs/client's entry-files), sent in bulk. */
import { BulkSetItem, EntryFileFormat, formatOfFileName, KvClient, MAX_BULK_ITEMS } from '@kv-service/client';
import { SingleBar } from 'cli-progress';
import { UsageError } from './exit-codes';

/** Format from the file name when not given: `.json` is JSON, anything else a .env file. */
export function formatOfFile(file: string, format?: string): EntryFileFormat {
  if (format === 'dotenv' || format === 'json') return format;
  if (format !== undefined) throw new UsageError(`unknown format ${format}: use dotenv or json`);
  return formatOfFileName(file);
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
