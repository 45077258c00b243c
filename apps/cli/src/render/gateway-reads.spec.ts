import type { Entry, KvClient } from '@kv-service/client';
import { GatewayReads } from './gateway-reads';

const entry = (keyPath: string, value: Entry['value']) => ({ keyPath, value }) as Entry;

/** A gateway holding `held` keys in every namespace, recording its calls in order; each answer a newer revision. */
function gateway(held: ReadonlySet<string>) {
  const calls: string[] = [];
  let revision = 0;
  const client: Pick<KvClient, 'bulkGet'> = {
    bulkGet: async (namespaceId, keys) => {
      calls.push(`bulkGet ${namespaceId} ${keys.join(',').slice(0, 20)} (${keys.length})`);
      // An answer later than the call, so that a read started before another can end after it.
      await new Promise((resolve) => setTimeout(resolve, keys.includes('slow') ? 20 : 0));
      revision += 1;
      return {
        items: keys.filter((key) => held.has(key)).map((key) => entry(key, `value of ${key}`)),
        missing: keys.filter((key) => !held.has(key)),
        revision: `rev-${revision}`,
      };
    },
  };
  return { client, calls };
}

describe('GatewayReads', () => {
  it('resolves each name once, reads in bulk gets of at most 1000 keys, and leaves out what is missing', async () => {
    const { client, calls } = gateway(new Set(['k0', 'k1500']));
    const resolved: string[] = [];
    const reads = new GatewayReads(client, async (text) => (resolved.push(text), `id-of-${text}`));
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
    expect(calls.map((call) => call.replace(/.* \((\d+)\)$/, '$1'))).toEqual(['1000', '1000', '500', '1']);
  });

  it("takes a namespace's revision from its first bulk get, and starts any other read of it only after that one", async () => {
    const { client, calls } = gateway(new Set(['slow']));
    const reads = new GatewayReads(client, async (text) => (text === 'by/name' ? 'ns-1' : text));
    expect(reads.revisionOf('ns-1')).toBeNull();
    // One namespace named two ways, read at once: the first read is slow, and the second still waits for it.
    await Promise.all([reads.read('by/name', ['slow']), reads.read('ns-1', ['b']), reads.read('ns-2', ['c'])]);
    expect(calls.filter((call) => call.includes('ns-1'))).toEqual(['bulkGet ns-1 slow (1)', 'bulkGet ns-1 b (1)']);
    expect(reads.revisionOf('ns-1')).toBe('rev-2');
    expect(reads.revisionOf('ns-2')).toBe('rev-1');
    expect(await reads.idOf('by/name')).toBe('ns-1');
  });
});
