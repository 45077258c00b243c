/**
 * Errors of the crypto core. Their messages are fixed and generic on purpose: an error message ends up
 * in logs and, through the RPC error filter, possibly in a response, so it must never carry plaintext,
 * key material or ciphertext (nor an OpenSSL message that might hint at which check failed).
 */

/** A ciphertext or wrapped key failed to authenticate, was malformed, or was bound to another row. */
export class DecryptionError extends Error {
  constructor() {
    super('decryption failed');
    this.name = 'DecryptionError';
  }
}

/** The master key a wrapped data key names is not in the configured keyring. */
export class KeyUnavailableError extends Error {
  /** The id is a label from configuration, not key material, and tells an operator which key to restore. */
  constructor(readonly masterKeyId: string) {
    super('master key is not available');
    this.name = 'KeyUnavailableError';
  }
}
