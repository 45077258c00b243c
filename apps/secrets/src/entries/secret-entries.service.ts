import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkSetItem,
  BulkSetResult,
  EntryDto,
  EntryKeyListQuery,
  EntryKeyPage,
  EntryListQuery,
  EntryPage,
  EntryPutBody,
  EntryPutReply,
  EntryWrite,
  KvEvent,
  NamespaceDescriptor,
  bulkKeysProblem,
  bulkWriteProblem,
  entryKeyProblem,
  entryWriteProblem,
  throwIfProblem,
  WithRevision,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import { bulkDeletion, deletedEvent, entryNotFound, keyListingPage, likePrefixPattern, ttlSecondsFor } from '@app/entry-store';
import { sealedOutcome } from '../crypto/sealed-outcome';
import { cursorPosition, pageLimit, toPage } from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { DataKeys } from '../keys/data-keys.service';
import { openStoredValue } from '../keys/store-errors';
import { SecretCall, authorizeSecretNamespace } from '../namespaces/secret-namespace-access';
import { SecretEntriesRepository } from './secret-entries.repository';
import { SealedEntryRow } from './secret-entry.entity';
import { toEntryDto } from './secret-entry.mapper';
import { SecretChangeRequest, SecretWriter } from './secret-writer.service';

/**
 * Entries of secret namespaces, with the same contract as plain entries: input is checked first (pure,
 * before any I/O), then the call's actor is authorized against the routed namespace, then the data key is
 * lent for the database work. Values are decrypted only to answer; messages never quote one.
 */
@Injectable()
export class SecretEntriesService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly entries: SecretEntriesRepository,
    private readonly writer: SecretWriter,
    private readonly dataKeys: DataKeys,
    config: ConfigService<SecretsEnv, true>,
  ) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  async get(call: SecretCall, key: string): Promise<EntryDto & WithRevision> {
    throwIfProblem(entryKeyProblem(key));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryRead]);
    const { keyRecord, entry, revision } = await this.entries.findLiveWithKey(namespace.id, key);
    return this.dataKeys.withLoadedKey(keyRecord, async (dataKey) => {
      if (entry === null || dataKey === null) throw entryNotFound(key);
      return { ...openEntry(dataKey, entry), revision };
    });
  }

  /**
   * Keys under `prefix` with their state (with a delimiter, by level), read from the entry table alone: no ciphertext is
   * read, no data key unwrapped, nothing decrypted, so names only and namespace read suffices.
   */
  async listKeys(call: SecretCall, query: EntryKeyListQuery): Promise<EntryKeyPage & WithRevision> {
    return keyListingPage(query, (listing) => {
      const namespace = authorizeSecretNamespace(call, [Permission.NamespaceRead]);
      return this.entries.listKeys(namespace.id, listing);
    });
  }

  /** `again`: the call is the second look, after a secret appeared in a namespace that had none (see below). */
  async list(call: SecretCall, query: EntryListQuery, again = false): Promise<EntryPage & WithRevision> {
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 1);
    const namespace = authorizeSecretNamespace(call, [Permission.NamespaceRead, Permission.EntryRead]);
    const pattern = query.prefix ? likePrefixPattern(query.prefix) : null;
    const read = () => this.entries.list(namespace.id, pattern, after === null ? null : after[0]!, limit + 1);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      if (dataKey === null) {
        // No secret yet, so nothing to open; the page's own statement still says the revision of "nothing" (a secret
        // written since the key was looked up shows there: list again, with its key).
        const { rows, revision } = await read();
        return rows.length === 0 || again ? { items: [], nextCursor: null, revision } : this.list(call, query, true);
      }
      const { rows, revision } = await read();
      const page = toPage(rows, limit, (row) => [row.key_path]);
      return { items: page.items.map((row) => openEntry(dataKey, row)), nextCursor: page.nextCursor, revision };
    });
  }

  async put(call: SecretCall, key: string, body: EntryPutBody): Promise<EntryPutReply> {
    throwIfProblem(entryKeyProblem(key) ?? entryWriteProblem(body, this.maxValueBytes));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryWrite]);
    const change = { ...changeOf(body, namespace), expectedVersion: body.expectedVersion };
    return this.dataKeys.withKey(namespace, (dataKey) =>
      this.writer.transaction(
        namespace,
        call,
        async (transaction) => {
          const written = await this.writer.write(transaction, dataKey, key, change);
          return { ...written, result: { entry: written.result, created: written.result.version === 1 } };
        },
        sealedOutcome(dataKey, namespace.id),
      ),
    );
  }

  async delete(call: SecretCall, key: string): Promise<{ deleted: true }> {
    throwIfProblem(entryKeyProblem(key));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryDelete]);
    return this.writer.transaction(namespace, call, async ({ manager, origin }) => {
      const deleted = await this.entries.delete(namespace.id, key, manager);
      if (deleted === null) throw entryNotFound(key);
      return { result: { deleted: true as const }, events: [deletedEvent(namespace, deleted, origin)] };
    });
  }

  async bulkGet(call: SecretCall, keys: string[], again = false): Promise<BulkGetResult & WithRevision> {
    throwIfProblem(bulkKeysProblem(keys));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryRead]);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      const { rows, revision } = await this.entries.findManyLive(namespace.id, keys);
      // No secret when the key was looked up: one written since shows here, to be read again with its key (as `list`).
      if (dataKey === null && rows.length > 0 && !again) return this.bulkGet(call, keys, true);
      const found = new Map(rows.map((row) => [row.key_path, row]));
      const items: EntryDto[] = [];
      const missing: string[] = [];
      for (const key of keys) {
        const row = found.get(key);
        if (row === undefined || dataKey === null) missing.push(key);
        else items.push(openEntry(dataKey, row));
      }
      return { items, missing, revision };
    });
  }

  /**
   * All or nothing: every item is checked before the database is touched, then all are written in one
   * transaction, in key order so that two overlapping bulk writes cannot deadlock.
   */
  async bulkSet(call: SecretCall, items: BulkSetItem[]): Promise<BulkSetResult> {
    throwIfProblem(bulkWriteProblem(items, this.maxValueBytes));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryWrite]);
    const inKeyOrder = [...items].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    return this.dataKeys.withKey(namespace, (dataKey) =>
      this.writer.transaction(
        namespace,
        call,
        async (transaction) => {
          const byKey = new Map<string, EntryDto>();
          const events: KvEvent[] = [];
          const expired: KvEvent[] = [];
          for (const item of inKeyOrder) {
            const change = await this.writer.write(transaction, dataKey, item.key, changeOf(item, namespace));
            byKey.set(item.key, change.result);
            events.push(...change.events);
            expired.push(...(change.expired ?? []));
          }
          return { result: { items: items.map((item) => byKey.get(item.key)!) }, events, expired };
        },
        sealedOutcome(dataKey, namespace.id),
      ),
    );
  }

  async bulkDelete(call: SecretCall, keys: string[]): Promise<BulkDeleteResult> {
    throwIfProblem(bulkKeysProblem(keys));
    const namespace = authorizeSecretNamespace(call, [Permission.EntryDelete]);
    return this.writer.transaction(namespace, call, async ({ manager, origin }) =>
      bulkDeletion(namespace, keys, await this.entries.deleteMany(namespace.id, keys, manager), origin),
    );
  }
}

function changeOf(write: EntryWrite, namespace: NamespaceDescriptor): SecretChangeRequest {
  return {
    content: { value: write.value, valueType: write.valueType },
    metadata: write.metadata ?? null,
    ttlSeconds: ttlSecondsFor(write.ttlSeconds, namespace.defaultTtlSeconds),
  };
}

function openEntry(dataKey: Buffer, row: SealedEntryRow): EntryDto {
  const value = openStoredValue(dataKey, row.ciphertext, { namespaceId: row.namespace_id, keyPath: row.key_path, version: row.version });
  return toEntryDto(row, value);
}
