import type { EntryDto } from '@app/contracts';
import type { EntryEntity } from './entry.entity';

export function toEntryDto(entry: EntryEntity): EntryDto {
  return {
    id: entry.id,
    namespaceId: entry.namespaceId,
    keyPath: entry.keyPath,
    value: entry.value,
    valueType: entry.valueType,
    version: entry.version,
    metadata: entry.metadata,
    expiresAt: entry.expiresAt === null ? null : entry.expiresAt.toISOString(),
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}
