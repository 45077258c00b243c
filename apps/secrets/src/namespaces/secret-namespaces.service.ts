import { Injectable, Logger } from '@nestjs/common';
import { NamespaceDescriptor } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { DataKeys } from '../keys/data-keys.service';
import { authorizeSecretNamespace } from './secret-namespace-access';

@Injectable()
export class SecretNamespacesService {
  private readonly logger = new Logger(SecretNamespacesService.name);

  constructor(private readonly dataKeys: DataKeys) {}

  /**
   * The namespace was deleted (the kv-entry service owns that decision): drop its secrets and destroy
   * its data key, for good. Idempotent, so a retried purge is harmless.
   */
  async purge(actor: Principal, descriptor: NamespaceDescriptor, namespaceId: string, requestId: string): Promise<{ purged: number }> {
    const namespace = authorizeSecretNamespace(actor, descriptor, namespaceId, [Permission.NamespaceDelete]);
    const purged = await this.dataKeys.destroy(namespace.id);
    this.logger.log(`purged namespace ${namespace.id}: ${purged} secret entries and its data key (requestId=${requestId})`);
    return { purged };
  }
}
