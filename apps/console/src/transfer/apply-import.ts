import { KvApiError, type BulkSetItem, type KvClient } from '@kv-service/client';
import { batchesOf } from './import-plan';

/** An entry that was not written, with the code of the call that carried it. */
export interface ImportFailure {
  key: string;
  code: string;
  message: string;
}

export interface ImportResult {
  written: number;
  failures: ImportFailure[];
}

/**
 * Sends the writes in bulk calls; each call is all or nothing, so a refused call fails each of its entries (with
 * its code), and the calls after it are still sent. `onProgress` hears the entries done (written or failed).
 */
export async function applyImport(
  client: Pick<KvClient, 'bulkSet'>,
  namespaceId: string,
  writes: BulkSetItem[],
  onProgress: (done: number) => void,
  batchSize?: number,
): Promise<ImportResult> {
  const result: ImportResult = { written: 0, failures: [] };
  let done = 0;
  for (const batch of batchesOf(writes, batchSize)) {
    try {
      await client.bulkSet(namespaceId, batch);
      result.written += batch.length;
    } catch (error) {
      const code = error instanceof KvApiError ? error.code : 'NO_ANSWER';
      const message = error instanceof Error ? error.message : String(error);
      result.failures.push(...batch.map((item) => ({ key: item.key, code, message })));
    }
    done += batch.length;
    onProgress(done);
  }
  return result;
}
