import { ErrorCode } from '@app/contracts';
import { entryNotFound, versionConflict } from './entry-errors';

describe('entry errors', () => {
  it('ENTRY_NOT_FOUND names the key', () => {
    expect(entryNotFound('a/b')).toMatchObject({ code: ErrorCode.ENTRY_NOT_FOUND, message: 'no entry at key a/b' });
  });

  it('VERSION_CONFLICT says what was expected', () => {
    expect(versionConflict('a', 0).message).toBe('an entry already exists at key a (expected version 0: absent)');
    expect(versionConflict('a', 3)).toMatchObject({
      code: ErrorCode.VERSION_CONFLICT,
      message: 'the entry at key a is not at the expected version 3',
    });
  });
});
