import { escapeLike, likePrefixPattern } from './like-pattern';

describe('escapeLike', () => {
  it('leaves ordinary text alone', () => expect(escapeLike('config/db.host-1')).toBe('config/db.host-1'));
  it('escapes % and _', () => expect(escapeLike('100%_done')).toBe('100\\%\\_done'));
  it('escapes the escape character first-class', () => expect(escapeLike('a\\b')).toBe('a\\\\b'));
  it('escapes every occurrence', () => expect(escapeLike('%%__')).toBe('\\%\\%\\_\\_'));
});

describe('likePrefixPattern', () => {
  it('appends one wildcard', () => expect(likePrefixPattern('a_b/')).toBe('a\\_b/%'));
  it('matches everything for an empty prefix', () => expect(likePrefixPattern('')).toBe('%'));
});
