import * as nodeCrypto from 'node:crypto';
import {
  ALPHANUMERIC_ALPHABET,
  ASCII_PRINTABLE_ALPHABET,
  BASE64URL_ALPHABET,
  generateSecret,
  HEX_ALPHABET,
  SECRET_ALPHABETS,
  SecretAlphabet,
} from './secret-generator';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof nodeCrypto>('node:crypto');
  return { ...actual, randomInt: jest.fn(actual.randomInt) };
});

const alphabets = Object.keys(SECRET_ALPHABETS) as SecretAlphabet[];

describe('secret alphabets', () => {
  it('have the expected sizes and no repeated characters', () => {
    expect(ALPHANUMERIC_ALPHABET).toHaveLength(62);
    expect(ASCII_PRINTABLE_ALPHABET).toHaveLength(94);
    expect(HEX_ALPHABET).toHaveLength(16);
    expect(BASE64URL_ALPHABET).toHaveLength(64);
    for (const characters of Object.values(SECRET_ALPHABETS)) expect(new Set(characters).size).toBe(characters.length);
  });

  it('ascii-printable runs from "!" to "~" without the space', () => {
    expect(ASCII_PRINTABLE_ALPHABET[0]).toBe('!');
    expect(ASCII_PRINTABLE_ALPHABET.at(-1)).toBe('~');
    expect(ASCII_PRINTABLE_ALPHABET).not.toContain(' ');
  });
});

describe('generateSecret', () => {
  it('defaults to 32 alphanumeric characters', () => expect(generateSecret()).toMatch(/^[A-Za-z0-9]{32}$/));

  it.each([8, 33, 4096])('gives exactly %i characters', (length) => expect(generateSecret({ length })).toHaveLength(length));

  it.each([0, 7, 4097, 12.5, Number.NaN])('refuses a length of %s with a RangeError', (length) =>
    expect(() => generateSecret({ length })).toThrow(RangeError),
  );

  it('refuses an unknown alphabet', () => expect(() => generateSecret({ alphabet: 'emoji' as SecretAlphabet })).toThrow(RangeError));

  it('refuses an inherited property as an alphabet', () =>
    expect(() => generateSecret({ alphabet: 'toString' as SecretAlphabet })).toThrow(RangeError));

  it('gives a different secret every call', () => expect(generateSecret()).not.toBe(generateSecret()));

  it('draws every character with crypto.randomInt over the whole alphabet', () => {
    const randomInt = jest.mocked(nodeCrypto.randomInt);
    randomInt.mockClear();
    generateSecret({ length: 10, alphabet: 'hex' });
    expect(randomInt).toHaveBeenCalledTimes(10);
    // One argument, the alphabet size: randomInt draws uniformly from [0, 16).
    expect(randomInt.mock.calls).toEqual(Array.from({ length: 10 }, () => [16]));
  });

  describe.each(alphabets)('with the %s alphabet', (alphabet) => {
    const characters = SECRET_ALPHABETS[alphabet];
    // About 4,000 draws per character: enough for every character to appear and for counts to settle.
    const drawn = Array.from({ length: Math.ceil((characters.length * 4000) / 4096) }, () =>
      generateSecret({ length: 4096, alphabet }),
    ).join('');
    const counts = new Map<string, number>();
    for (const character of drawn) counts.set(character, (counts.get(character) ?? 0) + 1);

    it('uses only characters of the alphabet', () => {
      for (const character of counts.keys()) expect(characters).toContain(character);
    });

    it('uses every character of the alphabet over many draws', () => expect(counts.size).toBe(characters.length));

    // A byte taken modulo 62 or 94 skews some characters by 20% or more from the mean; a fair draw
    // stays within 10% of it here (over six standard deviations).
    it('shows no modulo bias: every character appears within 10% of the mean', () => {
      const mean = drawn.length / characters.length;
      for (const count of counts.values()) expect(Math.abs(count - mean) / mean).toBeLessThan(0.1);
    });
  });
});
