import { InvalidArgumentError } from 'commander';
import { isoInstant, jsonObject, nonNegativeInteger, positiveInteger } from './argument-parsers';

describe('positiveInteger', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    ['007', 7],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d', (text, number) => {
    expect(positiveInteger(text)).toBe(number);
  });

  it.each(['0', '-1', '1.5', '1e3', '0x10', ' 1', '', 'ten', String(Number.MAX_SAFE_INTEGER + 1)])('refuses %j', (text) => {
    expect(() => positiveInteger(text)).toThrow(new InvalidArgumentError('must be a whole number of at least 1'));
  });
});

describe('nonNegativeInteger', () => {
  it('reads 0 and what positiveInteger reads', () => {
    expect(nonNegativeInteger('0')).toBe(0);
    expect(nonNegativeInteger('3')).toBe(3);
  });

  it.each(['-1', '00', '-0', ''])('refuses %j', (text) => {
    expect(() => nonNegativeInteger(text)).toThrow(InvalidArgumentError);
  });
});

describe('jsonObject', () => {
  it('reads a JSON object', () => {
    expect(jsonObject('{"owner":"billing","tags":["a"]}')).toEqual({ owner: 'billing', tags: ['a'] });
    expect(jsonObject('{}')).toEqual({});
  });

  it.each(['[1]', 'null', '"text"', '3', 'true', '{owner: 1}', ''])('refuses %j', (text) => {
    expect(() => jsonObject(text)).toThrow(new InvalidArgumentError('must be a JSON object'));
  });
});

describe('isoInstant', () => {
  it.each(['2024-05-01T00:00:00Z', '2024-05-01T02:00:00+02:00', '2024-05-01'])('keeps %j as given', (text) => {
    expect(isoInstant(text)).toBe(text);
  });

  it.each(['yesterday', '2024-13-01T00:00:00Z', ''])('refuses %j', (text) => {
    expect(() => isoInstant(text)).toThrow(InvalidArgumentError);
  });
});
