import { Injectable } from '@nestjs/common';
import type { Permission, Principal } from '@app/permissions';
import { authorizeNamespace } from '@app/entry-store';
import { assertPlainNamespace } from './namespace-authorization';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesRepository } from './namespaces.repository';

/**
 * The one place that loads a namespace for an actor and decides whether the actor may act in it
 * (one query, then the rules of `authorizeNamespace`). Both features go through here; a hot read
 * may load the namespace with its entry in one statement and only ask here for the decision.
 */
@Injectable()
export class NamespaceAccess {
  constructor(private readonly namespaces: NamespacesRepository) {}

  async authorize(actor: Principal, namespaceId: string, ...required: Permission[]): Promise<NamespaceEntity> {
    return authorizeNamespace(actor, await this.namespaces.findById(namespaceId), namespaceId, required);
  }

  /** As `authorize`, for entry operations: only plain namespaces hold entries here. */
  async authorizeForEntries(actor: Principal, namespaceId: string, ...required: Permission[]): Promise<NamespaceEntity> {
    return this.authorizeLoadedForEntries(actor, await this.namespaces.findById(namespaceId), namespaceId, ...required);
  }

  /** The rules of `authorizeForEntries` for a namespace the caller loaded itself (with the entry it reads, say). */
  authorizeLoadedForEntries(
    actor: Principal,
    loaded: NamespaceEntity | null,
    namespaceId: string,
    ...required: Permission[]
  ): NamespaceEntity {
    const namespace = authorizeNamespace(actor, loaded, namespaceId, required);
    assertPlainNamespace(namespace);
    return namespace;
  }
}
