import { Injectable } from '@nestjs/common';
import { EntryDto, KvEventType, NamespaceDescriptor, Replayed, SecretChange, ValueType } from '@app/contracts';
import {
  Change,
  ChangeCaller,
  ChangeOrigin,
  OutboxTransactions,
  OutcomeCodec,
  entryNotFound,
  entryWrittenType,
  expiredEvent,
  kvEvent,
  namespaceNotFound,
  versionConflict,
} from '@app/entry-store';
import type { EntityManager } from 'typeorm';
import { sealSecretValue } from '../crypto/secret-value';
import { SecretNamespacesRepository } from '../namespaces/secret-namespaces.repository';
import { SecretVersionsRepository } from '../versions/secret-versions.repository';
import { SecretEntriesRepository } from './secret-entries.repository';
import { SecretEntryRow } from './secret-entry.entity';
import { toEntryDto } from './secret-entry.mapper';

export interface SecretContent {
  value: unknown;
  valueType: ValueType;
}

/** One change of a secret entry. */
export interface SecretChangeRequest {
  /** The new value, checked already; or a function of the locked entry that gives it (checked there). */
  content: SecretContent | ((entry: SecretEntryRow, manager: EntityManager) => Promise<SecretContent>);
  /** `keep` leaves the current metadata and expiry as they are (rotation, rollback). */
  metadata: Record<string, unknown> | null | 'keep';
  /** The entry's TTL from the write, resolved already (null: no expiry). */
  ttlSeconds: number | null | 'keep';
  /** Defaults to CREATE for a new entry and UPDATE otherwise. */
  change?: SecretChange;
  reason?: string | null;
  restoredFrom?: number | null;
  /** 0: only if absent; N: only if at version N (VERSION_CONFLICT otherwise). */
  expectedVersion?: number;
  /** Rotation and rollback act on an existing entry only (ENTRY_NOT_FOUND otherwise). */
  mustExist?: boolean;
}

/**
 * What every write in one `SecretWriter.transaction` shares: the namespace it holds, who changes it, and
 * its manager. A write takes them from here, so they are the transaction's.
 */
export interface SecretTransaction {
  manager: EntityManager;
  namespace: NamespaceDescriptor;
  origin: ChangeOrigin;
}

/** The event each kind of change publishes. */
const EVENT_OF_CHANGE: Record<SecretChange, (version: number) => KvEventType> = {
  [SecretChange.CREATE]: entryWrittenType,
  [SecretChange.UPDATE]: entryWrittenType,
  [SecretChange.ROTATION]: () => KvEventType.SECRET_ROTATED,
  [SecretChange.ROLLBACK]: () => KvEventType.SECRET_ROLLED_BACK,
};

/**
 * The one write path of secret entries: in the caller's transaction, lock the entry, check the
 * condition, seal the value bound to its new version, append that version, make it current and prune
 * beyond the namespace's cap. Every change of an entry goes through here, so history is complete.
 */
@Injectable()
export class SecretWriter {
  constructor(
    private readonly entries: SecretEntriesRepository,
    private readonly versions: SecretVersionsRepository,
    private readonly namespaces: SecretNamespacesRepository,
    private readonly changes: OutboxTransactions,
  ) {}

  /**
   * A change in a namespace by a call, in an outbox transaction (its events commit with it) that holds the
   * namespace against a concurrent purge (NAMESPACE_NOT_FOUND once purged).
   */
  transaction<T>(
    namespace: NamespaceDescriptor,
    call: ChangeCaller,
    work: (transaction: SecretTransaction) => Promise<Change<T>>,
    codec?: OutcomeCodec<T>,
  ): Promise<Replayed<T>> {
    return this.changes.run(
      call,
      async (manager, origin) => {
        if (!(await this.namespaces.lockLive(namespace.id, manager))) throw namespaceNotFound(namespace.id);
        return work({ manager, namespace, origin });
      },
      codec,
    );
  }

  /** Appends one version, sealed with the namespace's `dataKey`, and gives the entry with the event that says so. */
  async write(transaction: SecretTransaction, dataKey: Buffer, keyPath: string, request: SecretChangeRequest): Promise<Change<EntryDto>> {
    const { manager, namespace, origin } = transaction;
    const { row: locked, expired } = await this.entries.lockForWrite(namespace.id, keyPath, manager);
    if (expired) await this.versions.deleteAll(locked.id, manager);
    const current = expired ? 0 : locked.version;

    if (request.mustExist && current === 0) throw entryNotFound(keyPath);
    if (request.expectedVersion !== undefined && request.expectedVersion !== current)
      throw versionConflict(keyPath, request.expectedVersion);

    const { value, valueType } = typeof request.content === 'function' ? await request.content(locked, manager) : request.content;
    const version = current + 1;
    const change = request.change ?? (version === 1 ? SecretChange.CREATE : SecretChange.UPDATE);
    const row = await this.entries.appendCurrent(
      {
        entryId: locked.id,
        version,
        ciphertext: sealSecretValue(dataKey, value, { namespaceId: namespace.id, keyPath, version }),
        valueType,
        change,
        reason: request.reason ?? null,
        restoredFrom: request.restoredFrom ?? null,
        actorId: origin.actorId,
      },
      {
        metadata: request.metadata === 'keep' ? locked.metadata : request.metadata,
        ttlSeconds: request.ttlSeconds,
      },
      namespace.maxSecretVersions,
      manager,
    );
    const facts = { applicationId: namespace.applicationId, namespaceId: namespace.id, entryId: row.id, keyPath };
    const now = new Date();
    return {
      result: toEntryDto(row, value),
      events: [kvEvent({ type: EVENT_OF_CHANGE[change](version), ...facts, version }, origin, now)],
      // It replaced an expired entry the sweep had not removed: that one ends first, as the sweep would have said.
      expired: expired ? [expiredEvent({ ...facts, version: locked.version }, now)] : [],
    };
  }
}
