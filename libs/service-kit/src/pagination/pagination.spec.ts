import { ErrorCode, Limits, decodeCursor, encodeCursor } from '@app/contracts';
import { cursorPosition, pageLimit, toPage } from './pagination';

describe('pageLimit', () => {
  it('defaults to the default page size', () => expect(pageLimit(undefined)).toBe(Limits.DEFAULT_PAGE_SIZE));
  it('keeps a limit within bounds', () => expect(pageLimit(7)).toBe(7));
  it('caps at the maximum page size', () => expect(pageLimit(5000)).toBe(Limits.MAX_PAGE_SIZE));
  it('falls back on nonsense', () => expect(pageLimit(0)).toBe(Limits.DEFAULT_PAGE_SIZE));
});

describe('cursorPosition', () => {
  it('is null without a cursor', () => {
    expect(cursorPosition(undefined, 1)).toBeNull();
    expect(cursorPosition('', 1)).toBeNull();
  });
  it('decodes a cursor of the right arity', () => expect(cursorPosition(encodeCursor(['a', 'b']), 2)).toEqual(['a', 'b']));
  it.each(['garbage!', encodeCursor(['a'])])('rejects %j as INVALID_CURSOR', (cursor) => {
    expect(() => cursorPosition(cursor, 2)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
  });
});

describe('toPage', () => {
  const key = (row: string) => [row];
  it('has no next cursor when everything fits', () => expect(toPage(['a', 'b'], 2, key)).toEqual({ items: ['a', 'b'], nextCursor: null }));
  it('drops the look-ahead row and points the cursor at the last item', () => {
    const page = toPage(['a', 'b', 'c'], 2, key);
    expect(page.items).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual(['b']);
  });
});
