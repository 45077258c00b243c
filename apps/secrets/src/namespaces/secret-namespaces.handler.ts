import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SecretNamespacePattern, SecretNamespacePurgeRequest } from '@app/contracts';
import { Permission, isGranted } from '@app/permissions';
import { missingPermission } from '@app/service-kit';
import { SecretNamespacesRepository } from './secret-namespaces.repository';

/**
 * The namespace was deleted (the kv-entry service owns that decision): drop its secrets and destroy its
 * data key. Idempotent, so a retried purge is harmless.
 */
@Controller()
export class SecretNamespacesHandler {
  private readonly logger = new Logger(SecretNamespacesHandler.name);

  constructor(private readonly namespaces: SecretNamespacesRepository) {}

  @MessagePattern(SecretNamespacePattern.PURGE)
  async purge(@Payload() request: SecretNamespacePurgeRequest): Promise<{ purged: number }> {
    if (!isGranted(request.actor, Permission.NamespaceDelete, request.namespaceId)) throw missingPermission(Permission.NamespaceDelete);
    const purged = await this.namespaces.purge(request.namespaceId);
    this.logger.log(`purged namespace ${request.namespaceId}: ${purged} secret entries and its data key (requestId=${request.requestId})`);
    return { purged };
  }
}
