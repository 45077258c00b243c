import { Injectable, Logger } from '@nestjs/common';
import { Permission } from '@app/permissions';
import { DataKeys } from '../keys/data-keys.service';
import { SecretCall, authorizeSecretNamespace } from './secret-namespace-access';

@Injectable()
export class SecretNamespacesService {
  private readonly logger = new Logger(SecretNamespacesService.name);

  constructor(private readonly dataKeys: DataKeys) {}

  /**
   * The namespace was deleted (the kv-entry service owns that decision): drop its secrets and destroy
   * its data key, for good. Idempotent, so a retried purge is harmless.
   */
  async purge(call: SecretCall & { requestId: string }): Promise<{ purged: number }> {
    const namespace = authorizeSecretNamespace(call, [Permission.NamespaceDelete]);
    const purged = await this.dataKeys.destroy(namespace.id);
    this.logger.log(`purged namespace ${namespace.id}: ${purged} secret entries and its data key (requestId=${call.requestId})`);
    return { purged };
  }
}
