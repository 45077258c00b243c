import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  EntryDto,
  ErrorCode,
  KvException,
  NamespaceDescriptor,
  SecretChange,
  SecretRollbackBody,
  SecretRotateBody,
  SecretVersionPage,
  SecretVersionQuery,
  ValueType,
  entryKeyProblem,
  entryWriteProblem,
  rotationProblem,
  throwIfProblem,
  WithRevision,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import { ChangeLog, entryNotFound } from '@app/entry-store';
import { pageLimit, toPage } from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { sealedOutcome } from '../crypto/sealed-outcome';
import { generateSecret } from '../crypto/secret-generator';
import { SecretEntriesRepository } from '../entries/secret-entries.repository';
import { toEntryDto } from '../entries/secret-entry.mapper';
import { SecretChangeRequest, SecretWriter } from '../entries/secret-writer.service';
import { DataKeys } from '../keys/data-keys.service';
import { openStoredValue } from '../keys/store-errors';
import { SecretCall, authorizeSecretNamespace } from '../namespaces/secret-namespace-access';
import { toSecretVersionDto } from './secret-version.mapper';
import { SecretVersionsRepository } from './secret-versions.repository';
import { versionCursor } from './version-cursor';

type ExistingEntryChange = Pick<SecretChangeRequest, 'content' | 'change' | 'reason' | 'restoredFrom'>;

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
    private readonly changeLog: ChangeLog,
    config: ConfigService<SecretsEnv, true>,
  ) {
    this.maxValueBytes = config.get('KV_MAX_VALUE_BYTES', { infer: true });
  }

  /** The history newest first, never with values. */
  async list(call: SecretCall, key: string, query: SecretVersionQuery): Promise<SecretVersionPage> {
    throwIfProblem(entryKeyProblem(key));
    const limit = pageLimit(query.limit);
    const beforeVersion = versionCursor(query.cursor);
    const namespace = authorizeSecretNamespace(call, [Permission.EntryRead]);
    const entry = await this.entries.findLiveRow(namespace.id, key);
    if (entry === null) throw entryNotFound(key);
    const page = toPage(await this.versions.list(entry.id, beforeVersion, limit + 1), limit, (row) => [String(row.version)]);
    return { items: page.items.map(toSecretVersionDto), nextCursor: page.nextCursor };
  }

  /** An old value: needs kv-secret:versions, which kv-entry:read does not imply. */
  async read(call: SecretCall, key: string, version: number): Promise<EntryDto & WithRevision> {
    throwIfProblem(entryKeyProblem(key));
    const namespace = authorizeSecretNamespace(call, [Permission.SecretVersions]);
    // Read before the version, it is a lower bound of what the answer reflects.
    const revision = await this.changeLog.headRevision();
    return this.dataKeys.withExistingKey(namespace.id, async (dataKey) => {
      const entry = dataKey === null ? null : await this.entries.findLiveRow(namespace.id, key);
      if (entry === null || dataKey === null) throw entryNotFound(key);
      const stored = await this.versions.find(entry.id, version);
      if (stored === null) throw versionNotFound(key, version);
      const value = openStoredValue(dataKey, stored.ciphertext, { namespaceId: namespace.id, keyPath: key, version });
      return { ...toEntryDto(entry, value), version, valueType: stored.value_type, updatedAt: stored.created_at.toISOString(), revision };
    });
  }

  /**
   * A new current value: given (its type defaults to the entry's current one) or generated, and then
   * returned once, in this answer. Only an existing entry rotates.
   */
  async rotate(call: SecretCall, key: string, body: SecretRotateBody): Promise<EntryDto> {
    throwIfProblem(entryKeyProblem(key) ?? rotationProblem(body, this.maxValueBytes));
    const namespace = authorizeSecretNamespace(call, [Permission.SecretRotate]);
    const generated = body.value === undefined ? generateSecret({ length: body.length, alphabet: body.alphabet }) : undefined;
    return this.writeExisting(call, namespace, key, () => ({
      content: async (entry) => {
        if (generated !== undefined) return { value: generated, valueType: ValueType.STRING };
        // Only now is the inherited type known; a mismatch rolls the transaction back.
        const content = { value: body.value, valueType: body.valueType ?? entry.value_type };
        throwIfProblem(entryWriteProblem(content, this.maxValueBytes));
        return content;
      },
      change: SecretChange.ROTATION,
      reason: body.reason ?? null,
    }));
  }

  /** An old version's value becomes current again, as a new version that remembers which one it restored. */
  async rollback(call: SecretCall, key: string, body: SecretRollbackBody): Promise<EntryDto> {
    throwIfProblem(entryKeyProblem(key));
    const namespace = authorizeSecretNamespace(call, [Permission.SecretRotate]);
    return this.writeExisting(call, namespace, key, (dataKey) => ({
      content: async (entry, manager) => {
        const stored = await this.versions.find(entry.id, body.version, manager);
        if (stored === null) throw versionNotFound(key, body.version);
        const value = openStoredValue(dataKey, stored.ciphertext, { namespaceId: namespace.id, keyPath: key, version: body.version });
        return { value, valueType: stored.value_type };
      },
      change: SecretChange.ROLLBACK,
      reason: body.reason ?? null,
      restoredFrom: body.version,
    }));
  }

  /** A change of an entry that must exist already, keeping its metadata and expiry. */
  private writeExisting(
    call: SecretCall,
    namespace: NamespaceDescriptor,
    key: string,
    changeFor: (dataKey: Buffer) => ExistingEntryChange,
  ): Promise<EntryDto> {
    return this.dataKeys.withExistingKey(namespace.id, (dataKey) => {
      if (dataKey === null) throw entryNotFound(key);
      return this.writer.transaction(
        namespace,
        call,
        (transaction) =>
          this.writer.write(transaction, dataKey, key, { ...changeFor(dataKey), metadata: 'keep', ttlSeconds: 'keep', mustExist: true }),
        sealedOutcome(dataKey, namespace.id),
      );
    });
  }
}
