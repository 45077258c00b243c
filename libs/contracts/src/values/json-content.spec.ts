import { ErrorCode } from '../errors/error-codes';
import { hasOnlyFiniteNumbers, jsonContentProblem } from './json-content';

describe('jsonContentProblem', () => {
  it('finds __proto__, constructor and prototype at any depth, in objects and arrays', () => {
    expect(jsonContentProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      message: 'must not use the object key "__proto__"',
    });
    expect(jsonContentProblem(JSON.parse('{"value":{"ok":1,"constructor":{"polluted":true}}}'))?.message).toContain('"constructor"');
    expect(jsonContentProblem(JSON.parse('[[{"prototype":1}]]'))?.message).toContain('"prototype"');
  });

  it('finds numbers JSON cannot carry, which would come back as null', () => {
    expect(hasOnlyFiniteNumbers(JSON.parse('{"value":{"a":1e400}}'))).toBe(false);
    expect(hasOnlyFiniteNumbers(JSON.parse('[0,[-1e999]]'))).toBe(false);
    expect(hasOnlyFiniteNumbers({ big: 1.7976931348623157e308, small: 5e-324, text: 'Infinity' })).toBe(true);
    expect(jsonContentProblem(JSON.parse('{"a":1e400}'))).toBeNull();
  });

  it('lets everything else through, names that merely contain the words included', () => {
    expect(jsonContentProblem(JSON.parse('{"constructors":1,"my_prototype":[1,"constructor"],"x":{"__proto":null}}'))).toBeNull();
    expect(jsonContentProblem('constructor')).toBeNull();
    expect(jsonContentProblem(null)).toBeNull();
  });

  it('walks an array of 300,000 items without overflowing the stack', () => {
    expect(jsonContentProblem(new Array(300_000).fill(0))).toBeNull();
  });
});
