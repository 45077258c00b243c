/** The reads of one render from the gateway: what `renderTemplate` calls `read`. */
import { MAX_BULK_ITEMS, type KvClient, type KvValue } from '@kv-service/client';
import type { ReadKeys } from './template';

/**
 * Reads for one render: each namespace name resolved once, keys in bulk gets of MAX_BULK_ITEMS. A namespace's first
 * bulk get gives its revision (`X-KV-Revision`, taken with the read), and any other read of it waits for that one, so
 * that every value read is at or after the revision: a watch from it misses no change the render did not see.
 */
export class GatewayReads {
  private readonly ids = new Map<string, Promise<string>>();
  /** Each namespace's first read, by id: the one whose answer gives the revision. */
  private readonly firstReads = new Map<string, Promise<unknown>>();
  private readonly revisions = new Map<string, string | null>();

  constructor(
    private readonly client: Pick<KvClient, 'bulkGet'>,
    private readonly resolveNamespace: (text: string) => Promise<string>,
  ) {}

  readonly read: ReadKeys = async (namespace, keys) => {
    const id = await this.idOf(namespace);
    const first = this.firstReads.get(id);
    if (first !== undefined) {
      await first;
      return this.readKeys(id, keys);
    }
    const reading = this.readKeys(id, keys);
    this.firstReads.set(id, reading);
    return reading;
  };

  /** The id a namespace named by the template resolved to. */
  idOf(namespace: string): Promise<string> {
    let id = this.ids.get(namespace);
    if (id === undefined) {
      id = this.resolveNamespace(namespace);
      this.ids.set(namespace, id);
    }
    return id;
  }

  /** The revision of the namespace's first read (null where the gateway gave none, or before any read). */
  revisionOf(namespaceId: string): string | null {
    return this.revisions.get(namespaceId) ?? null;
  }

  private async readKeys(id: string, keys: readonly string[]): Promise<Map<string, KvValue>> {
    const values = new Map<string, KvValue>();
    for (let start = 0; start < keys.length; start += MAX_BULK_ITEMS) {
      const { items, revision } = await this.client.bulkGet(id, keys.slice(start, start + MAX_BULK_ITEMS));
      if (!this.revisions.has(id)) this.revisions.set(id, revision);
      for (const entry of items) values.set(entry.keyPath, entry.value);
    }
    return values;
  }
}
