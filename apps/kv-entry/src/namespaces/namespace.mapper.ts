import type { NamespaceDescriptor, NamespaceDto } from '@app/contracts';
import type { NamespaceEntity } from './namespace.entity';

export function toNamespaceDto(namespace: NamespaceEntity): NamespaceDto {
  return {
    id: namespace.id,
    name: namespace.name,
    description: namespace.description,
    applicationId: namespace.applicationId,
    isSecretNamespace: namespace.isSecret,
    defaultTtlSeconds: namespace.defaultTtlSeconds,
    maxSecretVersions: namespace.maxSecretVersions,
    createdAt: namespace.createdAt.toISOString(),
    updatedAt: namespace.updatedAt.toISOString(),
  };
}

/** What the gateway routes entry calls by: no name or description, only what serving entries needs. */
export function toNamespaceDescriptor(namespace: NamespaceEntity): NamespaceDescriptor {
  return {
    id: namespace.id,
    applicationId: namespace.applicationId,
    isSecretNamespace: namespace.isSecret,
    defaultTtlSeconds: namespace.defaultTtlSeconds,
    maxSecretVersions: namespace.maxSecretVersions,
  };
}
