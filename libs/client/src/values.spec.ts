import { parseDecimalNumber } from './values';

describe('parseDecimalNumber', () => {
  it.each([
    ['42', 42],
    ['-1.5', -1.5],
    ['0', 0],
    ['0.25', 0.25],
    ['6.02e23', 6.02e23],
    ['1E-3', 0.001],
  ])('%j is %d', (text, number) => expect(parseDecimalNumber(text)).toBe(number));

  // Each of these is a number to Number(): 16, 3, 8, 7, 1, 0, Infinity...
  it.each(['0x10', '0b11', '0o10', ' 7', '7 ', '+1', '01', '.5', '1.', '', 'Infinity', '1e999', 'NaN', '1_000', 'x'])(
    'refuses %j',
    (text) => expect(parseDecimalNumber(text)).toBeNull(),
  );
});
