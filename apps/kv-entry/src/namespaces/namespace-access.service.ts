import { Injectable } from '@nestjs/common';
import type { Permission, Principal } from '@app/permissions';
import { authorizeNamespace } from '@app/service-kit';
import { assertPlainNamespace } from './namespace-authorization';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesRepository } from './namespaces.repository';

/**
 * The one place that loads a namespace for an actor and decides whether the actor may act in it
 * (one query, then the rules of `authorizeNamespace`). Both features go through here.
 */
@Injectable()
export class NamespaceAccess {
  constructor(private readonly namespaces: NamespacesRepository) {}

  async authorize(actor: Principal, namespaceId: string, ...required: Permission[]): Promise<NamespaceEntity> {
    return authorizeNamespace(actor, await this.namespaces.findById(namespaceId), namespaceId, required);
  }

  /** As `authorize`, for entry operations: only plain namespaces hold entries here. */
  async authorizeForEntries(actor: Principal, namespaceId: string, ...required: Permission[]): Promise<NamespaceEntity> {
    const namespace = await this.authorize(actor, namespaceId, ...required);
    assertPlainNamespace(namespace);
    return namespace;
  }
}
