import { describe, expect, it } from '@jest/globals';
import { KvApiError, type BulkSetItem, type Entry } from '@kv-service/client';
import { applyImport } from './apply-import';

describe('applyImport', () => {
  const items: BulkSetItem[] = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key, value: key, valueType: 'STRING' }));

  it('sends the writes in calls of the batch size, telling the progress after each', async () => {
    const calls: string[][] = [];
    const progress: number[] = [];
    const client = {
      bulkSet: async (_namespaceId: string, batch: BulkSetItem[]): Promise<Entry[]> => {
        calls.push(batch.map((item) => item.key));
        return [];
      },
    };
    expect(await applyImport(client, 'ns', items, (done) => progress.push(done), 2)).toEqual({ written: 5, failures: [] });
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(progress).toEqual([2, 4, 5]);
  });

  it('fails each entry of a refused call with its code, and still sends the calls after it', async () => {
    const client = {
      bulkSet: async (_namespaceId: string, batch: BulkSetItem[]): Promise<Entry[]> => {
        if (batch[0]!.key === 'c') throw new KvApiError(400, 'VALUE_TOO_LARGE', 'value of d is too large');
        return [];
      },
    };
    const progress: number[] = [];
    expect(await applyImport(client, 'ns', items, (done) => progress.push(done), 2)).toEqual({
      written: 3,
      failures: [
        { key: 'c', code: 'VALUE_TOO_LARGE', message: 'value of d is too large' },
        { key: 'd', code: 'VALUE_TOO_LARGE', message: 'value of d is too large' },
      ],
    });
    expect(progress).toEqual([2, 4, 5]);
  });
});
