import { Logger } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { DecryptionError, KeyUnavailableError } from '../crypto/crypto-errors';
import type { ValueBinding } from '../crypto/envelope';
import { openSecretValue } from '../crypto/secret-value';

/**
 * A crypto failure as the caller sees it: DECRYPTION_FAILED (a stored value or key does not
 * authenticate: tampering, a swapped row, a wrong key) or MASTER_KEY_UNAVAILABLE (the key that wraps
 * the namespace's data key is not configured). `what` names the row, never its contents. Other errors pass through.
 */
export function toStoreError(error: unknown, what: string): unknown {
  if (error instanceof DecryptionError) return new KvException(ErrorCode.DECRYPTION_FAILED, `the stored ${what} failed to decrypt`);
  if (error instanceof KeyUnavailableError) {
    return new KvException(ErrorCode.MASTER_KEY_UNAVAILABLE, `master key "${error.masterKeyId}" needed for ${what} is not configured`);
  }
  return error;
}

const logger = new Logger('SecretValues');

/** Opens a stored value, or throws DECRYPTION_FAILED, logged as the security event it is (without the value). */
export function openStoredValue(dataKey: Buffer, ciphertext: Buffer, binding: ValueBinding): unknown {
  try {
    return openSecretValue(dataKey, ciphertext, binding);
  } catch (error) {
    const what = `value of ${binding.keyPath} version ${binding.version} in namespace ${binding.namespaceId}`;
    logger.error(`the stored ${what} failed to authenticate: tampered with, moved from another row, or sealed under another key`);
    throw toStoreError(error, `value of ${binding.keyPath} version ${binding.version}`);
  }
}
