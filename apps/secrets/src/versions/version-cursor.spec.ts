import { ErrorCode, encodeCursor } from '@app/contracts';
import { versionCursor } from './version-cursor';

describe('versionCursor', () => {
  it('is null without a cursor', () => {
    expect(versionCursor(undefined)).toBeNull();
    expect(versionCursor('')).toBeNull();
  });

  it('gives back the version a page ended at', () => {
    expect(versionCursor(encodeCursor(['42']))).toBe(42);
  });

  it.each([['0'], ['-3'], ['1.5'], ['1e3'], ['2147483648'], ['abc']])('refuses a forged position %s with INVALID_CURSOR', (position) => {
    expect(() => versionCursor(encodeCursor([position]))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
  });

  it('refuses a cursor that is not ours', () => {
    expect(() => versionCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
  });
});
