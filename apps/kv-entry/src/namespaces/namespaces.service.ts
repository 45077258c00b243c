import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  KvException,
  NamespaceDescriptor,
  NamespaceDto,
  NamespaceInput,
  NamespaceListQuery,
  NamespacePage,
  KvEvent,
  KvEventType,
  NamespaceDeleteReply,
} from '@app/contracts';
import { Permission } from '@app/permissions';
import { ChangeOrigin, OutboxTransactions, authorizeNamespace, kvEvent, namespaceNotFound, ChangeLog } from '@app/entry-store';
import { cursorPosition, pageLimit, toPage } from '@app/service-kit';
import type { KvCall, NamespaceCall } from '../kv-call';
import { authorizeNamespaceCreate, namespaceListScope } from './namespace-authorization';
import { NamespaceAccess } from './namespace-access.service';
import { toNamespaceDescriptor, toNamespaceDto } from './namespace.mapper';
import type { NamespaceEntity } from './namespace.entity';
import { NamespacesRepository } from './namespaces.repository';

/** A version cap means something only where versions are kept: in a secret namespace. (JSON null is no cap.) */
function assertVersionCapAllowed(isSecret: boolean, maxSecretVersions: number | null | undefined): void {
  if (maxSecretVersions !== undefined && maxSecretVersions !== null && !isSecret) {
    throw new KvException(
      ErrorCode.VALIDATION_FAILED,
      'maxSecretVersions: applies only to secret namespaces (isSecretNamespace: true); leave it out for a plain namespace',
    );
  }
}

function namespaceEvent(type: KvEventType, namespace: NamespaceEntity, origin: ChangeOrigin): KvEvent {
  return kvEvent({ type, applicationId: namespace.applicationId, namespaceId: namespace.id }, origin);
}

@Injectable()
export class NamespacesService {
  constructor(
    private readonly namespaces: NamespacesRepository,
    private readonly access: NamespaceAccess,
    private readonly changes: OutboxTransactions,
    private readonly changeLog: ChangeLog,
  ) {}

  async create(call: KvCall, input: NamespaceInput): Promise<NamespaceDto> {
    authorizeNamespaceCreate(call.actor, input.applicationId);
    const isSecret = input.isSecretNamespace ?? false;
    assertVersionCapAllowed(isSecret, input.maxSecretVersions);
    return this.changes.run(call, async (manager, origin) => {
      const created = await this.namespaces.insert(
        {
          applicationId: input.applicationId,
          name: input.name,
          description: input.description ?? null,
          isSecret,
          defaultTtlSeconds: input.defaultTtlSeconds ?? null,
          maxSecretVersions: input.maxSecretVersions ?? null,
        },
        manager,
      );
      return { result: toNamespaceDto(created), events: [namespaceEvent(KvEventType.NAMESPACE_CREATED, created, origin)] };
    });
  }

  async get(call: NamespaceCall): Promise<NamespaceDto> {
    return toNamespaceDto(await this.access.authorize(call.actor, call.namespaceId, Permission.NamespaceRead));
  }

  /**
   * The gateway's routing lookup: only the application check, no permission (the gateway has checked
   * the route's own), and nothing beyond the descriptor (no name, no description, no values).
   */
  /** With the change log's head read first: a lower bound of the namespace changes the descriptor reflects. */
  async describe(call: NamespaceCall): Promise<NamespaceDescriptor> {
    const revision = await this.changeLog.headRevision();
    return { ...toNamespaceDescriptor(await this.access.authorize(call.actor, call.namespaceId)), revision };
  }

  /**
   * PUT semantics: name, description, default TTL and version cap are replaced (an omitted optional
   * field becomes null). The kind and the application cannot change; leaving `isSecretNamespace` out
   * keeps the kind.
   */
  async update(call: NamespaceCall, input: NamespaceInput): Promise<NamespaceDto> {
    const current = await this.access.authorize(call.actor, call.namespaceId, Permission.NamespaceWrite);
    if (input.isSecretNamespace !== undefined && input.isSecretNamespace !== current.isSecret) {
      throw new KvException(ErrorCode.NAMESPACE_KIND_IMMUTABLE, 'isSecretNamespace cannot change after creation');
    }
    if (input.applicationId !== current.applicationId) {
      throw new KvException(ErrorCode.APPLICATION_IMMUTABLE, 'applicationId cannot change after creation');
    }
    assertVersionCapAllowed(current.isSecret, input.maxSecretVersions);
    return this.changes.run(call, async (manager, origin) => {
      const fields = {
        name: input.name,
        description: input.description ?? null,
        defaultTtlSeconds: input.defaultTtlSeconds ?? null,
        maxSecretVersions: input.maxSecretVersions ?? null,
      };
      const namespace = await this.namespaces.update(current.applicationId, current.id, fields, manager);
      if (namespace === null) throw namespaceNotFound(call.namespaceId);
      return { result: toNamespaceDto(namespace), events: [namespaceEvent(KvEventType.NAMESPACE_UPDATED, namespace, origin)] };
    });
  }

  /**
   * Deletes the namespace and all its entries: one `kv.namespace.deleted` event, none per entry. Answers
   * what was deleted, so that the gateway purges a secret namespace's secrets even on a replay; authorized
   * inside the change, so that a call sent again finds its first outcome rather than a missing namespace.
   */
  async delete(call: NamespaceCall): Promise<NamespaceDeleteReply> {
    return this.changes.run(call, async (manager, origin) => {
      const locked = await this.namespaces.lockById(call.namespaceId, manager);
      const namespace = authorizeNamespace(call.actor, locked, call.namespaceId, [Permission.NamespaceDelete]);
      if (!(await this.namespaces.delete(namespace.applicationId, namespace.id, manager))) throw namespaceNotFound(call.namespaceId);
      return {
        result: { deleted: true as const, namespace: toNamespaceDescriptor(namespace) },
        events: [namespaceEvent(KvEventType.NAMESPACE_DELETED, namespace, origin)],
      };
    });
  }

  /** The namespaces the actor may see, in (applicationId, name) order. */
  async list(call: KvCall, query: NamespaceListQuery): Promise<NamespacePage> {
    const scope = namespaceListScope(call.actor, query.applicationId);
    const limit = pageLimit(query.limit);
    const after = cursorPosition(query.cursor, 2);
    if (scope === null) return { items: [], nextCursor: null };
    const rows = await this.namespaces.list(scope, after === null ? null : [after[0]!, after[1]!], limit + 1);
    const page = toPage(rows, limit, (namespace) => [namespace.applicationId, namespace.name]);
    return { items: page.items.map(toNamespaceDto), nextCursor: page.nextCursor };
  }
}
