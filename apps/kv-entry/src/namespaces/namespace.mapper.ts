import type { NamespaceDto } from '@app/contracts';
import type { NamespaceEntity } from './namespace.entity';

export function toNamespaceDto(namespace: NamespaceEntity): NamespaceDto {
  return {
    id: namespace.id,
    name: namespace.name,
    description: namespace.description,
    applicationId: namespace.applicationId,
    isSecretNamespace: namespace.isSecret,
    defaultTtlSeconds: namespace.defaultTtlSeconds,
    createdAt: namespace.createdAt.toISOString(),
    updatedAt: namespace.updatedAt.toISOString(),
  };
}
