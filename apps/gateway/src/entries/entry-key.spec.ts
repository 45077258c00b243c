import { ErrorCode } from '@app/contracts';
import { acceptedAgeMsOf, ifNoneMatchHolds, entryKeyOf, etagOf, expectedVersionOf } from './entry-key';

describe('entryKeyOf', () => {
  it('takes the wildcard parameter as the router decoded it', () => {
    expect(entryKeyOf({ nsId: 'x', '*': 'config/db/host' })).toBe('config/db/host');
    // "a%252Fb" in the URL arrives decoded once: "a%2Fb", kept as such.
    expect(entryKeyOf({ '*': 'a%2Fb' })).toBe('a%2Fb');
  });

  it('refuses an invalid key with INVALID_KEY', () => {
    expect(() => entryKeyOf({ '*': 'a//b' })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_KEY }));
    expect(() => entryKeyOf({ '*': '' })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_KEY }));
  });

  it('fails loudly on a route without a wildcard', () => {
    expect(() => entryKeyOf({ nsId: 'x' })).toThrow('without a "*" wildcard');
  });

  it("on an operation's route, takes the key before the operation's segment", () => {
    expect(entryKeyOf({ '*': 'a/b/rotate' }, 'rotate')).toBe('a/b');
    expect(entryKeyOf({ '*': 'a%2Fb/versions' }, 'versions')).toBe('a%2Fb');
    // The key may itself end with another operation's name.
    expect(entryKeyOf({ '*': 'a/rotate/rollback' }, 'rollback')).toBe('a/rotate');
  });

  it("refuses an invalid key before an operation's segment with INVALID_KEY", () => {
    expect(() => entryKeyOf({ '*': 'a//rotate' }, 'rotate')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_KEY }));
    expect(() => entryKeyOf({ '*': 'a/versions/versions' }, 'versions')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_KEY }));
  });

  it("fails loudly when the route's wildcard does not end with the operation", () => {
    expect(() => entryKeyOf({ '*': 'a/b' }, 'rotate')).toThrow("EntryKey('rotate') used on a route whose path does not end with it");
  });
});

describe('expectedVersionOf', () => {
  it('uses the body alone, the header alone, or both when they agree', () => {
    expect(expectedVersionOf(undefined, undefined)).toBeUndefined();
    expect(expectedVersionOf(2, undefined)).toBe(2);
    expect(expectedVersionOf(undefined, '"3"')).toBe(3);
    expect(expectedVersionOf(undefined, '0')).toBe(0);
    expect(expectedVersionOf(3, ' "3" ')).toBe(3);
  });

  it('refuses a header that differs from the body', () => {
    expect(() => expectedVersionOf(2, '"3"')).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }));
  });

  it.each(['*', 'W/"3"', '"a"', '-1', '"3", "4"', '1e3'])('refuses the header %p', (header) => {
    expect(() => expectedVersionOf(undefined, header)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }));
  });

  it('formats an ETag that If-Match accepts back', () => {
    expect(expectedVersionOf(undefined, etagOf(7))).toBe(7);
  });
});

describe('ifNoneMatchHolds', () => {
  it.each([['"3"'], ['W/"3"'], ['"1", "3"'], ['*'], [' "2" ,W/"3"']])('holds for %s against "3"', (header) => {
    expect(ifNoneMatchHolds(header, '"3"')).toBe(true);
  });
  it.each([[undefined], [''], ['"4"'], ['3'], ['"30"'], ['W/"4", "33"']])('does not hold for %p against "3"', (header) => {
    expect(ifNoneMatchHolds(header, '"3"')).toBe(false);
  });
});

describe('acceptedAgeMsOf', () => {
  it.each([
    ['max-age=30', 30_000],
    ['public, MAX-AGE=5', 5_000],
    [' max-age=1 ', 1_000],
  ])('%s accepts a copy that old', (header, expected) => {
    expect(acceptedAgeMsOf(header)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'no-cache',
    'max-age=30, no-cache',
    'no-store, max-age=30',
    'max-age=0',
    'max-age=-1',
    'max-age=abc',
    'max-age=1.5',
    'max-stale=30',
  ])('%p asks the service', (header) => {
    expect(acceptedAgeMsOf(header)).toBeUndefined();
  });
});
