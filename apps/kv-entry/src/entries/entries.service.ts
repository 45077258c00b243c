import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BulkDeleteResult,
  BulkGetResult,
  BulkSetItem,
  BulkSetResult,
  EntryDto,
  EntryListQuery,
  EntryPage,
  EntryPutBody,
  EntryPutReply,
  EntryWrite,
} from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import type { KvEntryEnv } from '../config/kv-entry.env';
import { NamespaceAccess } from '../namespaces/namespace-access.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntriesRepository, StoredWrite } from './entries.repository';
import {
  assertValidBulkWrite, assertValidKey, assertValidKeyList, assertValidWrite, cursorPosition, entryNotFound, expiresAtFor, likePrefixPattern,
  pageLimit, toPage, versionConflict,
} from '@app/service-kit';
import { EntryEntity } from './entry.entity';
import { toEntryDto } from './entry.mapper';

/**
 * Entries of plain namespaces. Every operation checks its input first (pure, before any I/O), then
 * authorizes through NamespaceAccess, then runs one statement. Messages never quote a value.
 */
@Injectable()
export class EntriesService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly entries: EntriesRepository,
    private readonly access: NamespaceAccess,
    config: ConfigService<KvEntryEnv, true>,
  ) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  async get(actor: Principal, namespaceId: string, key: string): Promise<EntryDto> {
    assertValidKey(key);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryRead);
    const entry = await this.entries.findLive(namespace.id, key);
    if (entry === null) throw entryNotFound(key);
    return toEntryDto(entry);
  }

  /** Live entries whose key starts with `prefix`, in byte order of their keys. Shows values, so it needs both reads. */
  async list(actor: Principal, namespaceId: string, query: EntryListQuery): Promise<EntryPage> {
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 1);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.NamespaceRead, Permission.EntryRead);
    const pattern = query.prefix ? likePrefixPattern(query.prefix) : null;
    const rows = await this.entries.list(namespace.id, pattern, after === null ? null : after[0]!, limit + 1);
    const page = toPage(rows, limit, (entry) => [entry.keyPath]);
    return { items: page.items.map(toEntryDto), nextCursor: page.nextCursor };
  }

  /**
   * Creates or replaces one entry. `expectedVersion` makes it conditional: 0 means "only if absent
   * (or expired)", N means "only if the live entry is at version N"; otherwise VERSION_CONFLICT.
   */
  async put(actor: Principal, namespaceId: string, key: string, body: EntryPutBody): Promise<EntryPutReply> {
    assertValidKey(key);
    assertValidWrite(body, this.maxValueBytes);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryWrite);
    const write = storedWrite(body, namespace, new Date());

    let entry: EntryEntity | null;
    if (body.expectedVersion === undefined) entry = await this.entries.upsert(namespace.id, key, write);
    else if (body.expectedVersion === 0) entry = await this.entries.insertIfAbsent(namespace.id, key, write);
    else entry = await this.entries.updateIfVersion(namespace.id, key, body.expectedVersion, write);

    if (entry === null) throw versionConflict(key, body.expectedVersion!);
    return { entry: toEntryDto(entry), created: entry.version === 1 };
  }

  async delete(actor: Principal, namespaceId: string, key: string): Promise<{ deleted: true }> {
    assertValidKey(key);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryDelete);
    if (!(await this.entries.delete(namespace.id, key))) throw entryNotFound(key);
    return { deleted: true };
  }

  /** The live entries among `keys`, in request order, and the keys that are absent or expired. */
  async bulkGet(actor: Principal, namespaceId: string, keys: string[]): Promise<BulkGetResult> {
    assertValidKeyList(keys);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryRead);
    const found = new Map((await this.entries.findManyLive(namespace.id, keys)).map((entry) => [entry.keyPath, entry]));
    const items: EntryDto[] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const entry = found.get(key);
      if (entry === undefined) missing.push(key);
      else items.push(toEntryDto(entry));
    }
    return { items, missing };
  }

  /** All or nothing: every item is checked before the database is touched, then one statement writes them all. */
  async bulkSet(actor: Principal, namespaceId: string, items: BulkSetItem[]): Promise<BulkSetResult> {
    assertValidBulkWrite(items, this.maxValueBytes);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryWrite);
    const now = new Date();
    const writes = items.map((item) => ({ keyPath: item.key, ...storedWrite(item, namespace, now) }));
    // One statement is atomic by itself; the explicit transaction is where further rows (an outbox) would join.
    const written = await this.entries.transaction((manager) => this.entries.upsertMany(namespace.id, writes, manager));
    const byKey = new Map(written.map((entry) => [entry.keyPath, entry]));
    return { items: items.map((item) => toEntryDto(byKey.get(item.key)!)) };
  }

  /** Deletes the keys in one statement; a key that was absent or already expired is reported missing. */
  async bulkDelete(actor: Principal, namespaceId: string, keys: string[]): Promise<BulkDeleteResult> {
    assertValidKeyList(keys);
    const namespace = await this.access.authorizeForEntries(actor, namespaceId, Permission.EntryDelete);
    const live = new Set((await this.entries.deleteMany(namespace.id, keys)).filter((row) => row.live).map((row) => row.keyPath));
    return { deleted: keys.filter((key) => live.has(key)), missing: keys.filter((key) => !live.has(key)) };
  }
}

function storedWrite(write: EntryWrite, namespace: NamespaceEntity, now: Date): StoredWrite {
  return {
    value: write.value,
    valueType: write.valueType,
    metadata: write.metadata ?? null,
    expiresAt: expiresAtFor(now, write.ttlSeconds, namespace.defaultTtlSeconds),
  };
}
