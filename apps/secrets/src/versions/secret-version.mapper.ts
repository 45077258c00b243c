import type { SecretVersionDto } from '@app/contracts';
import type { SecretVersionRow } from './secret-version.entity';

/** A version as the history shows it: who, why and when, never the value. */
export function toSecretVersionDto(row: Omit<SecretVersionRow, 'ciphertext'>): SecretVersionDto {
  return {
    version: row.version,
    valueType: row.value_type,
    change: row.change,
    reason: row.reason,
    restoredFrom: row.restored_from,
    actorId: row.actor_id,
    createdAt: row.created_at.toISOString(),
  };
}
