import { encodeKeyPath, namespaceParam } from './key-path';
import type {
  AuditPage,
  AuditQuery,
  AuditRecord,
  AuditVerifyResult,
  BulkDeleteResult,
  EntryKey,
  EntryKeyListQuery,
  EntryListQuery,
  EntryWire,
  Namespace,
  NamespaceInput,
  NamespaceListQuery,
  NamespacePage,
  SecretAlphabet,
  SecretVersion,
  SecretVersionPage,
  SecretVersionQuery,
  ValueType,
  Whoami,
} from './schemas';
import { Transport, TransportOptions } from './transport';
import { decodeEntry, encodeValue, Entry, inferValueType, KvValue } from './values';
import { ChangeEvent, watchChanges, WatchOptions } from './watch';
import { randomIdempotencyKey } from './idempotency-key';

export type KvClientOptions = TransportOptions;

/** The most keys (or entries) one bulk call takes; the gateway answers 400 beyond. */
export const MAX_BULK_ITEMS = 1000;

/** What every write takes (the last argument of each). */
export interface WriteOptions {
  /**
   * The write's `Idempotency-Key`, for a caller that sends it again itself, e.g. after a restart: the same
   * key with the same request answers the first outcome. Default: a random UUID for each call, which the
   * client's own retries of that call reuse.
   */
  idempotencyKey?: string;
}

export interface PutEntryOptions extends WriteOptions {
  /** Default: inferred from the value (bytes BINARY, number NUMBER, boolean BOOLEAN, string STRING, else JSON). */
  valueType?: ValueType;
  ttlSeconds?: number;
  metadata?: Record<string, unknown>;
  /** Write only if the current version is this one (0: only if absent); else KvConflictError. */
  expectedVersion?: number;
  /** The same condition as an `If-Match` header (e.g. `"3"`), for callers holding an ETag. */
  ifMatch?: string;
}

export interface BulkSetItem extends Pick<PutEntryOptions, 'valueType' | 'ttlSeconds' | 'metadata'> {
  key: string;
  value: KvValue;
}

export interface RotateOptions extends WriteOptions {
  /** The new value; without one, the gateway generates a random STRING and returns it once. */
  value?: KvValue;
  valueType?: ValueType;
  length?: number;
  alphabet?: SecretAlphabet;
  reason?: string;
}

export interface EntryPage {
  items: Entry[];
  nextCursor: string | null;
  /** The revision this page reflects (`X-KV-Revision`): `watch` from it to be told every later change. */
  revision: string | null;
}

export interface EntryKeyPage {
  /** The keys of the level (every key under the prefix without a delimiter), with their state and no value. */
  items: EntryKey[];
  /** With a delimiter: the next level's folders under the prefix, each ending with it (each one item of the page). */
  folders: string[];
  nextCursor: string | null;
  /** The revision this page reflects (`X-KV-Revision`): `watch` from it to be told every later change. */
  revision: string | null;
}

/** Every entry under a prefix, and the revision the first page reflects: a watch from it misses no later change. */
export interface EntrySnapshot {
  entries: Entry[];
  revision: string | null;
}

export interface BulkGetResult {
  items: Entry[];
  missing: string[];
  /** The revision this read reflects (`X-KV-Revision`): `watch` from it to be told every later change. */
  revision: string | null;
}

/** A page query without its cursor: the iterators follow the cursors themselves. */
type AllPagesQuery<Q> = Omit<Q, 'cursor'>;

/** A typed client for every call of the KV gateway (`/api/v1/kv`). */
export class KvClient {
  private readonly transport: Transport;

  constructor(options: KvClientOptions) {
    this.transport = new Transport(options);
  }

  /** What the token makes the caller: its principal, grants (and what they give), applications and expiry. */
  async whoami(): Promise<Whoami> {
    return (await this.transport.send<Whoami>({ method: 'GET', path: '/api/v1/kv/whoami' })).body;
  }

  // Namespaces

  async listNamespaces(query: NamespaceListQuery = {}): Promise<NamespacePage> {
    return (await this.transport.send<NamespacePage>({ method: 'GET', path: '/api/v1/kv/namespaces', query })).body;
  }

  /** Every namespace the caller may see, page after page. */
  namespaces(query: AllPagesQuery<NamespaceListQuery> = {}): AsyncIterableIterator<Namespace> {
    return allPages((cursor) => this.listNamespaces({ ...query, cursor }));
  }

  async getNamespace(namespaceId: string): Promise<Namespace> {
    return (
      await this.transport.send<Namespace>({ method: 'GET', path: '/api/v1/kv/namespaces/{nsId}', params: namespaceParam(namespaceId) })
    ).body;
  }

  async createNamespace(input: NamespaceInput, options: WriteOptions = {}): Promise<Namespace> {
    return (
      await this.transport.send<Namespace>({
        method: 'POST',
        path: '/api/v1/kv/namespaces',
        body: input,
        idempotencyKey: idempotencyKeyOf(options),
      })
    ).body;
  }

  /** Replaces name, description, default TTL and version cap (kind and application cannot change). */
  async updateNamespace(namespaceId: string, input: NamespaceInput, options: WriteOptions = {}): Promise<Namespace> {
    return (
      await this.transport.send<Namespace>({
        method: 'PUT',
        path: '/api/v1/kv/namespaces/{nsId}',
        params: namespaceParam(namespaceId),
        body: input,
        idempotencyKey: idempotencyKeyOf(options),
      })
    ).body;
  }

  async deleteNamespace(namespaceId: string, options: WriteOptions = {}): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: '/api/v1/kv/namespaces/{nsId}',
      params: namespaceParam(namespaceId),
      idempotencyKey: idempotencyKeyOf(options),
    });
  }

  // Entries

  /**
   * The current value, or with `version` an old version of a secret. With `maxAgeSeconds`, a plain
   * entry may come from the gateway's copy read at most that long ago (for values read over and over;
   * a write through another gateway replica usually shows within milliseconds, at most that late).
   */
  async getEntry(namespaceId: string, key: string, options: { version?: number; maxAgeSeconds?: number } = {}): Promise<Entry> {
    const response = await this.transport.send<EntryWire>({
      method: 'GET',
      path: '/api/v1/kv/{nsId}/entries/{key}',
      params: entryParams(namespaceId, key),
      query: { version: options.version },
      headers: options.maxAgeSeconds === undefined ? undefined : { 'cache-control': `max-age=${Math.floor(options.maxAgeSeconds)}` },
    });
    return decodeEntry(response.body);
  }

  /** Creates or replaces an entry; `created` tells which. */
  async putEntry(
    namespaceId: string,
    key: string,
    value: KvValue,
    options: PutEntryOptions = {},
  ): Promise<{ entry: Entry; created: boolean }> {
    const response = await this.transport.send<EntryWire>({
      method: 'PUT',
      path: '/api/v1/kv/{nsId}/entries/{key}',
      params: entryParams(namespaceId, key),
      headers: options.ifMatch === undefined ? undefined : { 'if-match': options.ifMatch },
      body: {
        value: encodeValue(value),
        valueType: options.valueType ?? inferValueType(value),
        ttlSeconds: options.ttlSeconds,
        metadata: options.metadata,
        expectedVersion: options.expectedVersion,
      },
      idempotencyKey: idempotencyKeyOf(options),
    });
    return { entry: decodeEntry(response.body), created: response.status === 201 };
  }

  async deleteEntry(namespaceId: string, key: string, options: WriteOptions = {}): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: '/api/v1/kv/{nsId}/entries/{key}',
      params: entryParams(namespaceId, key),
      idempotencyKey: idempotencyKeyOf(options),
    });
  }

  /** One page of entries in key order, optionally under a prefix. */
  async listEntries(namespaceId: string, query: EntryListQuery = {}): Promise<EntryPage> {
    const response = await this.transport.send<{ items: EntryWire[]; nextCursor: string | null }>({
      method: 'GET',
      path: '/api/v1/kv/{nsId}/entries',
      params: namespaceParam(namespaceId),
      query,
    });
    return {
      items: response.body.items.map(decodeEntry),
      nextCursor: response.body.nextCursor,
      revision: response.headers.get('x-kv-revision'),
    };
  }

  /**
   * One page of keys without values (`values=false`), in key order: needs only `kv-namespace:read`, and in a secret namespace
   * decrypts nothing and is one LIST audit record. With `delimiter: '/'`, one level: its keys and its folders, each folder
   * one item of the page however many keys it holds.
   */
  async listEntryKeys(namespaceId: string, query: EntryKeyListQuery = {}): Promise<EntryKeyPage> {
    const response = await this.transport.send<Omit<EntryKeyPage, 'revision'>>({
      method: 'GET',
      path: '/api/v1/kv/{nsId}/entries',
      params: namespaceParam(namespaceId),
      query: { ...query, values: 'false' },
    });
    return {
      items: response.body.items,
      folders: response.body.folders,
      nextCursor: response.body.nextCursor,
      revision: response.headers.get('x-kv-revision'),
    };
  }

  /**
   * Every entry (under `prefix`) and the revision of the first page: a change made while the later pages are read
   * may show in them, and comes again from a watch from that revision, which misses none.
   */
  async snapshot(namespaceId: string, query: AllPagesQuery<EntryListQuery> = {}): Promise<EntrySnapshot> {
    const entries: Entry[] = [];
    let revision: string | null = null;
    let cursor: string | undefined;
    do {
      const page = await this.listEntries(namespaceId, { ...query, cursor });
      if (cursor === undefined) revision = page.revision;
      entries.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { entries, revision };
  }

  /**
   * Every change of the namespace (its entries under `prefix`, and its own) from `since` on, as an async iterator
   * that reopens a dropped connection from where it was; see `watchChanges`.
   */
  watch(namespaceId: string, options: WatchOptions = {}): AsyncGenerator<ChangeEvent> {
    return watchChanges(this.transport, namespaceId, options);
  }

  /** Every entry (under `prefix`), page after page. */
  entries(namespaceId: string, query: AllPagesQuery<EntryListQuery> = {}): AsyncIterableIterator<Entry> {
    return allPages((cursor) => this.listEntries(namespaceId, { ...query, cursor }));
  }

  // Bulk: up to MAX_BULK_ITEMS keys a call

  async bulkGet(namespaceId: string, keys: string[]): Promise<BulkGetResult> {
    const response = await this.transport.send<{ items: EntryWire[]; missing: string[] }>({
      method: 'POST',
      path: '/api/v1/kv/{nsId}/bulk/get',
      params: namespaceParam(namespaceId),
      body: { keys },
    });
    return { items: response.body.items.map(decodeEntry), missing: response.body.missing, revision: response.headers.get('x-kv-revision') };
  }

  /** All or nothing. */
  async bulkSet(namespaceId: string, items: BulkSetItem[], options: WriteOptions = {}): Promise<Entry[]> {
    const entries = items.map((item) => ({
      key: item.key,
      value: encodeValue(item.value),
      valueType: item.valueType ?? inferValueType(item.value),
      ttlSeconds: item.ttlSeconds,
      metadata: item.metadata,
    }));
    const response = await this.transport.send<{ items: EntryWire[] }>({
      method: 'POST',
      path: '/api/v1/kv/{nsId}/bulk/set',
      params: namespaceParam(namespaceId),
      body: { entries },
      idempotencyKey: idempotencyKeyOf(options),
    });
    return response.body.items.map(decodeEntry);
  }

  async bulkDelete(namespaceId: string, keys: string[], options: WriteOptions = {}): Promise<BulkDeleteResult> {
    return (
      await this.transport.send<BulkDeleteResult>({
        method: 'POST',
        path: '/api/v1/kv/{nsId}/bulk/delete',
        params: namespaceParam(namespaceId),
        body: { keys },
        idempotencyKey: idempotencyKeyOf(options),
      })
    ).body;
  }

  // Secrets

  /** A new current version: the given value, or a generated one (returned only here). */
  async rotateSecret(namespaceId: string, key: string, options: RotateOptions = {}): Promise<Entry> {
    // The key goes in a header, never in the body.
    const { value, idempotencyKey: _inHeader, ...rest } = options;
    const response = await this.transport.send<EntryWire>({
      method: 'POST',
      path: '/api/v1/kv/{nsId}/entries/{key}/rotate',
      params: entryParams(namespaceId, key),
      body: {
        ...rest,
        ...(value === undefined ? {} : { value: encodeValue(value), valueType: options.valueType ?? inferValueType(value) }),
      },
      idempotencyKey: idempotencyKeyOf(options),
    });
    return decodeEntry(response.body);
  }

  /** A secret's history, newest first, without values. */
  async listVersions(namespaceId: string, key: string, query: SecretVersionQuery = {}): Promise<SecretVersionPage> {
    return (
      await this.transport.send<SecretVersionPage>({
        method: 'GET',
        path: '/api/v1/kv/{nsId}/entries/{key}/versions',
        params: entryParams(namespaceId, key),
        query,
      })
    ).body;
  }

  versions(namespaceId: string, key: string, query: AllPagesQuery<SecretVersionQuery> = {}): AsyncIterableIterator<SecretVersion> {
    return allPages((cursor) => this.listVersions(namespaceId, key, { ...query, cursor }));
  }

  /** Makes `version`'s value current again, as a new version. */
  async rollbackSecret(namespaceId: string, key: string, version: number, reason?: string, options: WriteOptions = {}): Promise<Entry> {
    const response = await this.transport.send<EntryWire>({
      method: 'POST',
      path: '/api/v1/kv/{nsId}/entries/{key}/rollback',
      params: entryParams(namespaceId, key),
      body: { version, reason },
      idempotencyKey: idempotencyKeyOf(options),
    });
    return decodeEntry(response.body);
  }

  // Audit

  async listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    return (await this.transport.send<AuditPage>({ method: 'GET', path: '/api/v1/kv/audit', query })).body;
  }

  /** Every audit record matching the query, newest first, page after page. */
  auditRecords(query: AllPagesQuery<AuditQuery> = {}): AsyncIterableIterator<AuditRecord> {
    return allPages((cursor) => this.listAudit({ ...query, cursor }));
  }

  async verifyAudit(): Promise<AuditVerifyResult> {
    return (await this.transport.send<AuditVerifyResult>({ method: 'GET', path: '/api/v1/kv/audit/verify' })).body;
  }
}

function idempotencyKeyOf(options: WriteOptions): string {
  return options.idempotencyKey ?? randomIdempotencyKey();
}

function entryParams(namespaceId: string, key: string): Record<string, string> {
  return { ...namespaceParam(namespaceId), key: encodeKeyPath(key) };
}

async function* allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncIterableIterator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
