import { exceedsJsonDepth, isUtf8ContentType } from './json-body';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
};

describe('exceedsJsonDepth', () => {
  it('counts the body as level 1 and scalars as no level', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [] }, 1)).toBe(true);
  });

  it('allows exactly the limit, refuses one more, through arrays and objects alike', () => {
    expect(exceedsJsonDepth(nested(64), 64)).toBe(false);
    expect(exceedsJsonDepth(nested(65), 64)).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(exceedsJsonDepth({ shallow: [1, 2], deep: nested(10), more: { x: 1 } }, 10)).toBe(true);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(exceedsJsonDepth(JSON.parse('['.repeat(1e6) + ']'.repeat(1e6)), 64)).toBe(true);
  });
});

describe('isUtf8ContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF8', 'application/json; charset="utf-8"'])(
    'reads %s',
    (type) => {
      expect(isUtf8ContentType(type)).toBe(true);
    },
  );
  it.each(['application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; CHARSET=iso-8859-1'])(
    'refuses %s',
    (type) => {
      expect(isUtf8ContentType(type)).toBe(false);
    },
  );
});
