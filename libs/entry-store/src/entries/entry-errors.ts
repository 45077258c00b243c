import { ErrorCode, KvException } from '@app/contracts';

/** The answers both entry services give in the same words. Never quote a value. */
export function entryNotFound(key: string): KvException {
  return new KvException(ErrorCode.ENTRY_NOT_FOUND, `no entry at key ${key}`);
}

/** A conditional write found the entry at another version (0: it was expected absent). */
export function versionConflict(key: string, expectedVersion: number): KvException {
  return new KvException(
    ErrorCode.VERSION_CONFLICT,
    expectedVersion === 0
      ? `an entry already exists at key ${key} (expected version 0: absent)`
      : `the entry at key ${key} is not at the expected version ${expectedVersion}`,
  );
}
