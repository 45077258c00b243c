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
  bulkKeysProblem,
  bulkWriteProblem,
  entryKeyProblem,
  entryWriteProblem,
  throwIfProblem,
  WithRevision,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import {
  OutboxTransactions,
  bulkDeletion,
  deletedEvent,
  entryNotFound,
  keyListingPage,
  likePrefixPattern,
  ttlSecondsFor,
  versionConflict,
  writtenEvents,
  markReplayed,
  markReplayedError,
} from '@app/entry-store';
import { cursorPosition, pageLimit, toPage } from '@app/service-kit';
import type { KvEntryEnv } from '../config/kv-entry.env';
import type { NamespaceCall } from '../kv-call';
import { NamespaceAccess } from '../namespaces/namespace-access.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntriesRepository, StoredWrite } from './entries.repository';
import { entryFromJsonRow } from './entry.entity';
import { toEntryDto } from './entry.mapper';

/**
 * Entries of plain namespaces. Every operation checks its input first (pure, before any I/O), then
 * authorizes through NamespaceAccess, then runs one statement; a change runs in an outbox transaction
 * that records its events. Messages never quote a value.
 */
@Injectable()
export class EntriesService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly entries: EntriesRepository,
    private readonly access: NamespaceAccess,
    private readonly changes: OutboxTransactions,
    config: ConfigService<KvEntryEnv, true>,
  ) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  async get(call: NamespaceCall, key: string): Promise<EntryDto & WithRevision> {
    throwIfProblem(entryKeyProblem(key));
    const found = await this.entries.findLiveWithNamespace(call.namespaceId, key);
    this.access.authorizeLoadedForEntries(call.actor, found.namespace, call.namespaceId, Permission.EntryRead);
    const entry = found.entry;
    if (entry === null) throw entryNotFound(key);
    return { ...toEntryDto(entry), revision: found.revision };
  }

  /** Live entries whose key starts with `prefix`, in byte order of their keys. Shows values, so it needs both reads. */
  async list(call: NamespaceCall, query: EntryListQuery): Promise<EntryPage & WithRevision> {
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 1);
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.NamespaceRead, Permission.EntryRead);
    const pattern = query.prefix ? likePrefixPattern(query.prefix) : null;
    const { entries, revision } = await this.entries.list(namespace.id, pattern, after === null ? null : after[0]!, limit + 1);
    const page = toPage(entries, limit, (entry) => [entry.keyPath]);
    return { items: page.items.map(toEntryDto), nextCursor: page.nextCursor, revision };
  }

  /** Keys under `prefix` with their state but no value (with a delimiter, by level): names only, so namespace read suffices. */
  async listKeys(call: NamespaceCall, query: EntryKeyListQuery): Promise<EntryKeyPage & WithRevision> {
    return keyListingPage(query, async (listing) => {
      const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.NamespaceRead);
      return this.entries.listKeys(namespace.id, listing);
    });
  }

  /**
   * Creates or replaces one entry. `expectedVersion` makes it conditional: 0 means "only if absent
   * (or expired)", N means "only if the live entry is at version N"; otherwise VERSION_CONFLICT.
   */
  async put(call: NamespaceCall, key: string, body: EntryPutBody): Promise<EntryPutReply> {
    throwIfProblem(entryKeyProblem(key) ?? entryWriteProblem(body, this.maxValueBytes));
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.EntryWrite);
    const write = storedWrite(body, namespace);

    const { result: entry, replayed } = await this.changes.runStatement(
      call,
      (origin, slot) => {
        const events = writtenEvents(namespace.applicationId, namespace.id, origin);
        if (body.expectedVersion === undefined) return this.entries.upsert(namespace.id, key, write, events, slot);
        if (body.expectedVersion === 0) return this.entries.insertIfAbsent(namespace.id, key, write, events, slot);
        return this.entries.updateIfVersion(namespace.id, key, body.expectedVersion, write, events, slot);
      },
      (rows) => (rows.length === 0 ? null : entryFromJsonRow(rows[0])),
    );
    if (entry === null) {
      const conflict = versionConflict(key, body.expectedVersion!);
      throw replayed ? markReplayedError(conflict) : conflict;
    }
    const reply = { entry: toEntryDto(entry), created: entry.version === 1 };
    return replayed ? markReplayed(reply) : reply;
  }

  async delete(call: NamespaceCall, key: string): Promise<{ deleted: true }> {
    throwIfProblem(entryKeyProblem(key));
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.EntryDelete);
    return this.changes.run(call, async (manager, origin) => {
      const deleted = await this.entries.delete(namespace.id, key, manager);
      if (deleted === null) throw entryNotFound(key);
      return { result: { deleted: true as const }, events: [deletedEvent(namespace, deleted, origin)] };
    });
  }

  /** The live entries among `keys`, in request order, and the keys that are absent or expired. */
  async bulkGet(call: NamespaceCall, keys: string[]): Promise<BulkGetResult & WithRevision> {
    throwIfProblem(bulkKeysProblem(keys));
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.EntryRead);
    const { entries, revision } = await this.entries.findManyLive(namespace.id, keys);
    const found = new Map(entries.map((entry) => [entry.keyPath, entry]));
    const items: EntryDto[] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const entry = found.get(key);
      if (entry === undefined) missing.push(key);
      else items.push(toEntryDto(entry));
    }
    return { items, missing, revision };
  }

  /**
   * All or nothing: every item is checked before the database is touched, then one statement writes
   * them all, in key order so that overlapping bulk writes lock rows in the same order.
   */
  async bulkSet(call: NamespaceCall, items: BulkSetItem[]): Promise<BulkSetResult> {
    throwIfProblem(bulkWriteProblem(items, this.maxValueBytes));
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.EntryWrite);
    const now = new Date();
    const writes = items
      .map((item) => ({ keyPath: item.key, ...storedWrite(item, namespace) }))
      .sort((a, b) => Buffer.compare(Buffer.from(a.keyPath), Buffer.from(b.keyPath)));
    const { result: written, replayed } = await this.changes.runStatement(
      call,
      (origin, slot) =>
        this.entries.upsertMany(namespace.id, writes, writtenEvents(namespace.applicationId, namespace.id, origin, now), slot),
      (rows) => rows.map(entryFromJsonRow),
    );
    const byKey = new Map(written.map((entry) => [entry.keyPath, entry]));
    const reply = { items: items.map((item) => toEntryDto(byKey.get(item.key)!)) };
    return replayed ? markReplayed(reply) : reply;
  }

  /** Deletes the keys in one statement; a key that was absent or already expired is reported missing. */
  async bulkDelete(call: NamespaceCall, keys: string[]): Promise<BulkDeleteResult> {
    throwIfProblem(bulkKeysProblem(keys));
    const namespace = await this.access.authorizeForEntries(call.actor, call.namespaceId, Permission.EntryDelete);
    return this.changes.run(call, async (manager, origin) =>
      bulkDeletion(namespace, keys, await this.entries.deleteMany(namespace.id, keys, manager), origin),
    );
  }
}

function storedWrite(write: EntryWrite, namespace: NamespaceEntity): StoredWrite {
  return {
    value: write.value,
    valueType: write.valueType,
    metadata: write.metadata ?? null,
    ttlSeconds: ttlSecondsFor(write.ttlSeconds, namespace.defaultTtlSeconds),
  };
}
