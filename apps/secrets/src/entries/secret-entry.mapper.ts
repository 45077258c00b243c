import type { EntryDto } from '@app/contracts';
import type { SecretEntryRow } from './secret-entry.entity';

/** The entry as the API shows it, with its value just decrypted (or just written). */
export function toEntryDto(row: SecretEntryRow, value: unknown): EntryDto {
  return {
    id: row.id,
    namespaceId: row.namespace_id,
    keyPath: row.key_path,
    value,
    valueType: row.value_type,
    version: row.version,
    metadata: row.metadata,
    expiresAt: row.expires_at === null ? null : row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
