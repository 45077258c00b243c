import { forbiddenJsonKeyOf } from './json-keys';

describe('forbiddenJsonKeyOf', () => {
  it('finds __proto__, constructor and prototype at any depth, in objects and arrays', () => {
    expect(forbiddenJsonKeyOf(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toBe('__proto__');
    expect(forbiddenJsonKeyOf(JSON.parse('{"value":{"ok":1,"constructor":{"polluted":true}}}'))).toBe('constructor');
    expect(forbiddenJsonKeyOf(JSON.parse('[[{"prototype":1}]]'))).toBe('prototype');
  });

  it('lets everything else through, names that merely contain the words included', () => {
    expect(forbiddenJsonKeyOf(JSON.parse('{"constructors":1,"my_prototype":[1,"constructor"],"x":{"__proto":null}}'))).toBeUndefined();
    expect(forbiddenJsonKeyOf('constructor')).toBeUndefined();
    expect(forbiddenJsonKeyOf(null)).toBeUndefined();
  });
});
