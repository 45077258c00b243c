import { ErrorCode, KvException } from '@app/contracts';
import { DecryptionError, KeyUnavailableError } from '../crypto/crypto-errors';
import { toStoreError } from './store-errors';

describe('toStoreError', () => {
  it('maps a failed decrypt to DECRYPTION_FAILED naming the row', () => {
    expect(toStoreError(new DecryptionError(), 'value of a/b version 2')).toEqual(
      new KvException(ErrorCode.DECRYPTION_FAILED, 'the stored value of a/b version 2 failed to decrypt'),
    );
  });

  it('maps a missing master key to MASTER_KEY_UNAVAILABLE naming the key id', () => {
    const mapped = toStoreError(new KeyUnavailableError('old'), 'data key') as KvException;
    expect(mapped.code).toBe(ErrorCode.MASTER_KEY_UNAVAILABLE);
    expect(mapped.message).toContain('"old"');
  });

  it('passes other errors through', () => {
    const error = new Error('connection lost');
    expect(toStoreError(error, 'x')).toBe(error);
  });
});
