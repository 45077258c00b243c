/** The reads of one render from the gateway: what `renderTemplate` calls `read`. */
import type { KvClient, KvValue } from '@kv-service/client';
import type { ReadKeys } from './template';

/** The most keys one bulk get takes. */
export const BULK_GET_MAX_KEYS = 1000;

export interface RevisionOptions {
  /** Take each namespace's revision before its first read (for a watch to start from). */
  revisions: boolean;
}

/**
 * Reads for one render: each namespace name resolved once, keys in bulk gets of 1000. With `revisions`, a namespace's
 * revision is taken (from a one-entry list) before any value of it is read, so that every value read is at or after
 * it: a watch from it misses no change the render did not see.
 */
export class GatewayReads {
  private readonly ids = new Map<string, Promise<string>>();
  private readonly revisions = new Map<string, Promise<string | null>>();

  constructor(
    private readonly client: Pick<KvClient, 'bulkGet' | 'listEntries'>,
    private readonly resolveNamespace: (text: string) => Promise<string>,
    private readonly options: RevisionOptions,
  ) {}

  readonly read: ReadKeys = async (namespace, keys) => {
    const id = await this.idOf(namespace);
    if (this.options.revisions) await this.revisionOf(id);
    const values = new Map<string, KvValue>();
    for (let start = 0; start < keys.length; start += BULK_GET_MAX_KEYS) {
      const { items } = await this.client.bulkGet(id, keys.slice(start, start + BULK_GET_MAX_KEYS));
      for (const entry of items) values.set(entry.keyPath, entry.value);
    }
    return values;
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

  /** The revision taken before the first read of the namespace (null where the gateway gave none). */
  revisionOf(namespaceId: string): Promise<string | null> {
    let revision = this.revisions.get(namespaceId);
    if (revision === undefined) {
      revision = this.client.listEntries(namespaceId, { limit: 1 }).then((page) => page.revision);
      this.revisions.set(namespaceId, revision);
    }
    return revision;
  }
}
