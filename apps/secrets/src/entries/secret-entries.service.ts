import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BulkDeleteResult, BulkGetResult, BulkSetItem, BulkSetResult, EntryDto, EntryListQuery, EntryPage, EntryPutBody, EntryPutReply,
  EntryWrite, NamespaceDescriptor,
} from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import {
  assertValidBulkWrite, assertValidKey, assertValidKeyList, assertValidWrite, cursorPosition, entryNotFound, expiresAtFor, likePrefixPattern,
  pageLimit, toPage,
} from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { DataKeys } from '../keys/data-keys.service';
import { openStoredValue } from '../keys/store-errors';
import { authorizeSecretNamespace } from '../namespaces/secret-namespace-access';
import { SecretEntriesRepository } from './secret-entries.repository';
import { SealedEntryRow } from './secret-entry.entity';
import { toEntryDto } from './secret-entry.mapper';
import { SecretChangeRequest, SecretWriter } from './secret-writer.service';

/**
 * Entries of secret namespaces, with the same contract as plain entries: input is checked first (pure,
 * before any I/O), then the actor is authorized against the routed namespace, then the data key is
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

  async get(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string): Promise<EntryDto> {
    assertValidKey(key);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryRead]);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      const row = dataKey === null ? null : await this.entries.findLive(namespace.id, key);
      if (row === null || dataKey === null) throw entryNotFound(key);
      return openEntry(dataKey, row);
    });
  }

  async list(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, query: EntryListQuery): Promise<EntryPage> {
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 1);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.NamespaceRead, Permission.EntryRead]);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      if (dataKey === null) return { items: [], nextCursor: null };
      const pattern = query.prefix ? likePrefixPattern(query.prefix) : null;
      const rows = await this.entries.list(namespace.id, pattern, after === null ? null : after[0]!, limit + 1);
      const page = toPage(rows, limit, (row) => [row.key_path]);
      return { items: page.items.map((row) => openEntry(dataKey, row)), nextCursor: page.nextCursor };
    });
  }

  async put(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string, body: EntryPutBody): Promise<EntryPutReply> {
    assertValidKey(key);
    assertValidWrite(body, this.maxValueBytes);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryWrite]);
    const change = { ...changeOf(body, namespace, new Date()), expectedVersion: body.expectedVersion };
    const entry = await this.dataKeys.withKey(namespace.id, (dataKey) =>
      this.writer.transaction(namespace.id, (manager) => this.writer.write(manager, namespace, dataKey, key, actor.id, change)),
    );
    return { entry, created: entry.version === 1 };
  }

  async delete(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string): Promise<{ deleted: true }> {
    assertValidKey(key);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryDelete]);
    if (!(await this.entries.delete(namespace.id, key))) throw entryNotFound(key);
    return { deleted: true };
  }

  async bulkGet(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, keys: string[]): Promise<BulkGetResult> {
    assertValidKeyList(keys);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryRead]);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      const rows = dataKey === null ? [] : await this.entries.findManyLive(namespace.id, keys);
      const found = new Map(rows.map((row) => [row.key_path, row]));
      const items: EntryDto[] = [];
      const missing: string[] = [];
      for (const key of keys) {
        const row = found.get(key);
        if (row === undefined || dataKey === null) missing.push(key);
        else items.push(openEntry(dataKey, row));
      }
      return { items, missing };
    });
  }

  /**
   * All or nothing: every item is checked before the database is touched, then all are written in one
   * transaction, in key order so that two overlapping bulk writes cannot deadlock.
   */
  async bulkSet(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, items: BulkSetItem[]): Promise<BulkSetResult> {
    assertValidBulkWrite(items, this.maxValueBytes);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryWrite]);
    const now = new Date();
    const inKeyOrder = [...items].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const written = await this.dataKeys.withKey(namespace.id, (dataKey) =>
      this.writer.transaction(namespace.id, async (manager) => {
        const byKey = new Map<string, EntryDto>();
        for (const item of inKeyOrder) {
          byKey.set(item.key, await this.writer.write(manager, namespace, dataKey, item.key, actor.id, changeOf(item, namespace, now)));
        }
        return byKey;
      }),
    );
    return { items: items.map((item) => written.get(item.key)!) };
  }

  async bulkDelete(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, keys: string[]): Promise<BulkDeleteResult> {
    assertValidKeyList(keys);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryDelete]);
    const live = new Set(await this.entries.deleteMany(namespace.id, keys));
    return { deleted: keys.filter((key) => live.has(key)), missing: keys.filter((key) => !live.has(key)) };
  }
}

function changeOf(write: EntryWrite, namespace: NamespaceDescriptor, now: Date): SecretChangeRequest {
  return {
    content: { value: write.value, valueType: write.valueType },
    metadata: write.metadata ?? null,
    expiresAt: expiresAtFor(now, write.ttlSeconds, namespace.defaultTtlSeconds),
  };
}

function openEntry(dataKey: Buffer, row: SealedEntryRow): EntryDto {
  const value = openStoredValue(dataKey, row.ciphertext, { namespaceId: row.namespace_id, keyPath: row.key_path, version: row.version });
  return toEntryDto(row, value);
}
