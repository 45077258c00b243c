import { ErrorCode } from '@app/contracts';
import { formatWatchCursor, parseWatchCursor } from './watch-cursor';

describe('watch cursors', () => {
  it.each([
    [{ entries: 0, secrets: null }, '0'],
    [{ entries: 42, secrets: null }, '42'],
    [{ entries: 42, secrets: 17 }, '42.17'],
    [{ entries: 0, secrets: 0 }, '0.0'],
  ])('writes %j as %s and reads it back', (position, text) => {
    expect(formatWatchCursor(position)).toBe(text);
    expect(parseWatchCursor(text, position.secrets !== null)).toEqual(position);
  });

  it.each([
    ['a secret cursor for a plain namespace', '42.17', false],
    ['a plain cursor for a secret namespace', '42', true],
    ['a negative revision', '-1', false],
    ['a leading zero', '042', false],
    ['a fraction', '4.5.6', true],
    ['text', 'latest', false],
    ['an empty cursor', '', false],
    ['a revision past 2^53', '99999999999999999', false],
    ['spaces', ' 42', false],
  ])('refuses %s with INVALID_REVISION', (_label, text, secret) => {
    expect(() => parseWatchCursor(text, secret)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_REVISION }));
  });
});
