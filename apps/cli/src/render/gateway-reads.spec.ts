import type { Entry, KvClient } from '@kv-service/client';
import { GatewayReads } from './gateway-reads';

const entry = (keyPath: string, value: Entry['value']) => ({ keyPath, value }) as Entry;

/** A gateway holding `held` keys in every namespace, recording its calls in order. */
function gateway(held: ReadonlySet<string>) {
  const calls: string[] = [];
  const client: Pick<KvClient, 'bulkGet' | 'listEntries'> = {
    listEntries: async (namespaceId) => {
      calls.push(`list ${namespaceId}`);
      return { items: [], nextCursor: null, revision: `rev-of-${namespaceId}` };
    },
    bulkGet: async (namespaceId, keys) => {
      calls.push(`bulkGet ${namespaceId} ${keys.length}`);
      return {
        items: keys.filter((key) => held.has(key)).map((key) => entry(key, `value of ${key}`)),
        missing: keys.filter((key) => !held.has(key)),
        revision: `bulk-rev-of-${namespaceId}`,
      };
    },
  };
  return { client, calls };
}

describe('GatewayReads', () => {
  it('resolves each name once, reads in bulk gets of at most 1000 keys, and leaves out what is missing', async () => {
    const { client, calls } = gateway(new Set(['k0', 'k1500']));
    const resolved: string[] = [];
    const reads = new GatewayReads(client, async (text) => (resolved.push(text), `id-of-${text}`), { revisions: false });
    const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
    const values = await reads.read('billing/config', keys);
    await reads.read('billing/config', ['k1']);
    expect(values).toEqual(
      new Map([
        ['k0', 'value of k0'],
        ['k1500', 'value of k1500'],
      ]),
    );
    expect(resolved).toEqual(['billing/config']);
    expect(calls).toEqual([
      'bulkGet id-of-billing/config 1000',
      'bulkGet id-of-billing/config 1000',
      'bulkGet id-of-billing/config 500',
      'bulkGet id-of-billing/config 1',
    ]);
  });

  it('with revisions, takes each namespace revision once, before its first value is read', async () => {
    const { client, calls } = gateway(new Set(['a']));
    const reads = new GatewayReads(client, async (text) => (text === 'by/name' ? 'ns-1' : text), { revisions: true });
    // One namespace named two ways, read at once.
    await Promise.all([reads.read('by/name', ['a']), reads.read('ns-1', ['b'])]);
    expect(calls).toEqual(['list ns-1', 'bulkGet ns-1 1', 'bulkGet ns-1 1']);
    expect(await reads.revisionOf('ns-1')).toBe('rev-of-ns-1');
    expect(await reads.idOf('by/name')).toBe('ns-1');
  });
});
