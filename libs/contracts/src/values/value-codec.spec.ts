import { valueProblem } from './value-codec';
import { ValueType } from './value-type';

describe('valueProblem', () => {
  const valid: Array<[ValueType, unknown]> = [
    [ValueType.STRING, ''],
    [ValueType.STRING, 'hello'],
    [ValueType.JSON, { a: [1, 2, { b: null }] }],
    [ValueType.JSON, null],
    [ValueType.JSON, 'text'],
    [ValueType.NUMBER, 0],
    [ValueType.NUMBER, -1.5e10],
    [ValueType.BOOLEAN, false],
    [ValueType.BINARY, ''],
    [ValueType.BINARY, 'aGVsbG8='],
    [ValueType.BINARY, 'aGVsbG8hIQ=='],
    [ValueType.DATE, '2024-02-29'],
    // Leap years of the first century and the 400-year rule (Date.UTC reads 0-99 as 1900-1999).
    [ValueType.DATE, '0000-02-29'],
    [ValueType.DATE, '0004-02-29'],
    [ValueType.DATE, '2000-02-29'],
    [ValueType.DATETIME, '0004-02-29T00:00:00Z'],
    [ValueType.DATETIME, '2024-05-01T12:00:00Z'],
    [ValueType.DATETIME, '2024-05-01T12:00:00.123456+02:00'],
    [ValueType.DURATION, 'PT30S'],
    [ValueType.DURATION, 'P1Y2M3DT4H5M6.5S'],
    [ValueType.DURATION, 'P2W'],
    [ValueType.STRING, 'a literal backslash-u: \\u0000'],
  ];
  it.each(valid)('accepts %s %j', (type, value) => expect(valueProblem(type, value)).toBeNull());

  const invalid: Array<[ValueType, unknown]> = [
    [ValueType.STRING, 1],
    [ValueType.JSON, undefined],
    [ValueType.NUMBER, '1'],
    [ValueType.NUMBER, Number.NaN],
    [ValueType.NUMBER, Number.POSITIVE_INFINITY],
    [ValueType.BOOLEAN, 'true'],
    [ValueType.BINARY, 'not base64!'],
    [ValueType.BINARY, 'abc'],
    [ValueType.BINARY, 42],
    [ValueType.DATE, '2023-02-29'],
    [ValueType.DATE, '1900-02-29'],
    [ValueType.DATE, '0001-02-29'],
    [ValueType.DATE, '0100-02-29'],
    [ValueType.DATE, '2024-13-01'],
    [ValueType.DATE, '2024-1-01'],
    [ValueType.DATETIME, '2024-05-01T12:00:00'],
    [ValueType.DATETIME, '2024-05-01T24:00:00Z'],
    [ValueType.DATETIME, '2024-04-31T12:00:00Z'],
    [ValueType.DATETIME, 'yesterday'],
    [ValueType.DURATION, 'P'],
    [ValueType.DURATION, 'PT'],
    [ValueType.DURATION, '30 seconds'],
    [ValueType.DURATION, 'P1H'],
    [ValueType.STRING, 'nul\u0000inside'],
    [ValueType.JSON, { nested: ['a\u0000'] }],
    [ValueType.JSON, { 'key\u0000': 1 }],
  ];
  it.each(invalid)('rejects %s %j', (type, value) => {
    expect(valueProblem(type, value)).toMatch(new RegExp(`^value of type ${type} `));
  });

  it('never quotes the value in its reason', () => {
    const planted = 'planted-secret-4f1c';
    expect(valueProblem(ValueType.NUMBER, planted)).not.toContain(planted);
    expect(valueProblem(ValueType.DATE, planted)).not.toContain(planted);
  });
});
