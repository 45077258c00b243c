import { flattenJson, JsonObject, JsonTreeError, unflattenJson } from './json-tree';

describe('JSON key trees', () => {
  const tree: JsonObject = {
    app: { name: 'billing', port: 8080, debug: false, tags: ['a', 'b'], limits: { rps: 1.5 }, none: null, empty: {} },
    top: 'level',
  };

  it('nested objects become key paths; scalars, arrays, null and empty objects are values', () => {
    expect(flattenJson(tree)).toEqual([
      ['app/name', 'billing'],
      ['app/port', 8080],
      ['app/debug', false],
      ['app/tags', ['a', 'b']],
      ['app/limits/rps', 1.5],
      ['app/none', null],
      ['app/empty', {}],
      ['top', 'level'],
    ]);
  });

  it('unflattens back to the same tree, properties sorted', () => {
    const back = unflattenJson(flattenJson(tree));
    expect(back).toEqual(tree);
    expect(Object.keys(back.app as JsonObject)).toEqual(['debug', 'empty', 'limits', 'name', 'none', 'port', 'tags']);
  });

  it('refuses a key that is both a value and a parent, and property names that cannot be segments', () => {
    expect(() =>
      unflattenJson([
        ['a', 1],
        ['a/b', 2],
      ]),
    ).toThrow(JsonTreeError);
    expect(() =>
      unflattenJson([
        ['a/b', 2],
        ['a', 1],
      ]),
    ).toThrow(JsonTreeError);
    expect(() => flattenJson({ 'a/b': 1 })).toThrow(JsonTreeError);
    expect(() => flattenJson({ '': 1 })).toThrow(JsonTreeError);
  });
});
