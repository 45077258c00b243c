import { ChangeSource } from '@app/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { NamespaceDescriptor } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { anAdmin } from '../../../test/support/principals';
import { aNamespaceDescriptor } from '../../../test/support/samples';
import { ServiceTestbed, createServiceTestbed, outboxServiceUnderTest, useServiceTestbed } from '../../../test/support/service-testbed';
import { SecretsEnv } from '../src/config/secrets.env';
import { secretsDataSourceOptions } from '../src/database/data-source';
import { SecretEntriesModule } from '../src/entries/secret-entries.module';
import { ExpiryModule } from '../src/expiry/expiry.module';
import { KeysModule } from '../src/keys/keys.module';
import { SecretCall } from '../src/namespaces/secret-namespace-access';
import { SecretNamespacesModule } from '../src/namespaces/secret-namespaces.module';

/** The service's feature modules on a migrated scratch database; its outbox relay publishes for real, into a vhost of its own. */
export const secretsService = outboxServiceUnderTest({
  name: 'kv_secrets_it',
  source: ChangeSource.SECRETS,
  envClass: SecretsEnv,
  dataSourceOptions: secretsDataSourceOptions,
  imports: [KeysModule, SecretNamespacesModule, SecretEntriesModule, ExpiryModule],
});

export type SecretsTestbed = ServiceTestbed;

/** The service with a master key of its own; `env` wins over it (a keyring instead, say). */
export function createTestbed(env: Record<string, string> = {}): Promise<SecretsTestbed> {
  return createServiceTestbed(secretsService, withMasterKey(env));
}

/** The same for the describe block it is called in: started in its beforeAll, closed in its afterAll. */
export function useSecretsTestbed(env: Record<string, string> = {}): SecretsTestbed {
  return useServiceTestbed(secretsService, withMasterKey(env));
}

function withMasterKey(env: Record<string, string>): { env: Record<string, string> } {
  return { env: { KV_MASTER_KEY: randomBytes(32).toString('base64'), ...env } };
}

/** A secret namespace of its own, as kv-entry would describe it to the service. */
export function secretNamespace(overrides: Partial<NamespaceDescriptor> = {}): NamespaceDescriptor {
  return aNamespaceDescriptor({ id: randomUUID(), isSecretNamespace: true, ...overrides });
}

export const admin: Principal = anAdmin();

/** A call of `actor` in `namespace`, routed as the gateway routes one; `request`: the gateway request it came through. */
export function callIn(
  namespace: NamespaceDescriptor,
  request: Pick<SecretCall, 'requestId' | 'clientAddress'> = {},
  actor: Principal = admin,
): SecretCall {
  return { actor, namespace, namespaceId: namespace.id, ...request };
}
