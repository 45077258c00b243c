import { decodeCursor, encodeCursor } from './cursor';

describe('keyset cursors', () => {
  it('round-trips a position', () => {
    const position = ['app-1', 'config/ключ/a b'];
    expect(decodeCursor(encodeCursor(position), 2)).toEqual(position);
  });

  it('is URL-safe', () => expect(encodeCursor(['???>>>~~~'])).toMatch(/^[A-Za-z0-9_-]+$/));

  it.each(['', 'not a cursor', '%%%', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1]').toString('base64url')])(
    'rejects %j',
    (cursor) => expect(decodeCursor(cursor, 1)).toBeNull(),
  );

  it('rejects a cursor of another arity', () => expect(decodeCursor(encodeCursor(['a', 'b']), 1)).toBeNull());
  it('rejects a forged cursor whose position breaks the text rule', () => {
    expect(decodeCursor('WyJcdTAwMDAiXQ', 1)).toBeNull();
    expect(decodeCursor(encodeCursor(['\u0000']), 1)).toBeNull();
    expect(decodeCursor(encodeCursor(['ok', '\ud800']), 2)).toBeNull();
  });
});
