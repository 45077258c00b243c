import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  EntryDto, ErrorCode, KvException, NamespaceDescriptor, SecretChange, SecretRollbackBody, SecretRotateBody, SecretVersionPage,
  SecretVersionQuery, ValueType,
} from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { assertValidKey, assertValidWrite, cursorPosition, pageLimit, toPage } from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { generateSecret } from '../crypto/secret-generator';
import { SecretEntriesRepository } from '../entries/secret-entries.repository';
import { toEntryDto } from '../entries/secret-entry.mapper';
import { SecretWriter, entryNotFound } from '../entries/secret-writer.service';
import { DataKeys } from '../keys/data-keys.service';
import { openStoredValue } from '../keys/store-errors';
import { authorizeSecretNamespace } from '../namespaces/secret-namespace-access';
import { toSecretVersionDto } from './secret-version.mapper';
import { SecretVersionsRepository } from './secret-versions.repository';

function versionNotFound(key: string, version: number): KvException {
  return new KvException(ErrorCode.VERSION_NOT_FOUND, `entry ${key} has no version ${version} (never written, or pruned)`);
}

/** What only secrets have: their history, reading an old value, rotation and rollback (both append a version). */
@Injectable()
export class SecretVersionsService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly entries: SecretEntriesRepository,
    private readonly versions: SecretVersionsRepository,
    private readonly writer: SecretWriter,
    private readonly dataKeys: DataKeys,
    config: ConfigService<SecretsEnv, true>,
  ) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  /** The history newest first, never with values. */
  async list(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string, query: SecretVersionQuery): Promise<SecretVersionPage> {
    assertValidKey(key);
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 1);
    const beforeVersion = after === null ? null : Number(after[0]);
    if (beforeVersion !== null && !Number.isSafeInteger(beforeVersion)) throw new KvException(ErrorCode.INVALID_CURSOR, 'cursor is not valid for this listing');
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.EntryRead]);
    const entry = await this.entries.findLiveRow(namespace.id, key);
    if (entry === null) throw entryNotFound(key);
    const page = toPage(await this.versions.list(entry.id, beforeVersion, limit + 1), limit, (row) => [String(row.version)]);
    return { items: page.items.map(toSecretVersionDto), nextCursor: page.nextCursor };
  }

  /** An old value: needs kv-secret:versions, which kv-entry:read does not imply. */
  async read(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string, version: number): Promise<EntryDto> {
    assertValidKey(key);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.SecretVersions]);
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      const entry = dataKey === null ? null : await this.entries.findLiveRow(namespace.id, key);
      if (entry === null || dataKey === null) throw entryNotFound(key);
      const stored = await this.versions.find(entry.id, version);
      if (stored === null) throw versionNotFound(key, version);
      const value = openStoredValue(dataKey, stored.ciphertext, { namespaceId: namespace.id, keyPath: key, version });
      return { ...toEntryDto(entry, value), version, valueType: stored.value_type, updatedAt: stored.created_at.toISOString() };
    });
  }

  /** A new current value, given or generated (returned once, in this answer). */
  async rotate(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string, body: SecretRotateBody): Promise<EntryDto> {
    assertValidKey(key);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.SecretRotate]);
    const generated = body.value === undefined ? generateSecret({ length: body.length, alphabet: body.alphabet }) : undefined;
    return this.dataKeys.withKey(namespace.id, (dataKey) =>
      this.entries.transaction((manager) =>
        this.writer.write(manager, namespace, dataKey, key, actor.id, {
          content: async (entry) => {
            if (generated !== undefined) return { value: generated, valueType: ValueType.STRING };
            const content = { value: body.value, valueType: body.valueType ?? entry.value_type };
            assertValidWrite(content, this.maxValueBytes);
            return content;
          },
          metadata: 'keep',
          expiresAt: 'keep',
          change: SecretChange.ROTATION,
          reason: body.reason ?? null,
          mustExist: true,
        }),
      ),
    );
  }

  /** An old version's value becomes current again, as a new version that remembers which one it restored. */
  async rollback(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, key: string, body: SecretRollbackBody): Promise<EntryDto> {
    assertValidKey(key);
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.SecretRotate]);
    return this.dataKeys.withKey(namespace.id, (dataKey) =>
      this.entries.transaction((manager) =>
        this.writer.write(manager, namespace, dataKey, key, actor.id, {
          content: async (entry, locked) => {
            const stored = await this.versions.find(entry.id, body.version, locked);
            if (stored === null) throw versionNotFound(key, body.version);
            const value = openStoredValue(dataKey, stored.ciphertext, { namespaceId: namespace.id, keyPath: key, version: body.version });
            return { value, valueType: stored.value_type };
          },
          metadata: 'keep',
          expiresAt: 'keep',
          change: SecretChange.ROLLBACK,
          reason: body.reason ?? null,
          restoredFrom: body.version,
          mustExist: true,
        }),
      ),
    );
  }
}
