import { parse } from 'dotenv';
import { DotenvFormatError, dotenvValue, formatDotenv, parseDotenv } from './dotenv-file';

describe('.env files', () => {
  const tricky: Array<[string, string]> = [
    ['EMPTY', ''],
    ['PLAIN', 'db.internal:5432/app?x=1'],
    ['SPACES', '  leading and trailing  '],
    ['HASH', 'a#b # not a comment'],
    ['SINGLE', "it's"],
    ['DOUBLE', 'say "hi"'],
    ['BOTH', `it's "quoted"`],
    ['ALL_QUOTES', 'it\'s "x" `y`'],
    ['NEWLINES', 'line 1\nline 2\n'],
    ['NEWLINE_AND_DOUBLE', 'a "b"\nc'],
    ['CR', 'a\r\nb'],
    ['BACKSLASH_N_TEXT', 'C:\\new\\table'],
    ['TRAILING_BACKSLASH', 'ends with \\'],
    ['BACKSLASH_N_TEXT_AND_NEWLINE', 'C:\\new\nx'],
    ['UNICODE', 'ключ ü 🎉'],
    ['EQUALS', 'a=b=c'],
    ['export', 'word'],
  ];

  it("every value reads back exactly through dotenv's own parser, in order", () => {
    const text = formatDotenv(tricky);
    expect(parseDotenv(text)).toEqual(tricky);
    expect(parse(text)).toEqual(Object.fromEntries(tricky));
  });

  it('any value either reads back exactly or is refused (random values of the awkward characters)', () => {
    const alphabet = ['a', ' ', '#', "'", '"', '`', '\\', 'n', 'r', '\n', '\r', '=', '$', '\t'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let written = 0;
    for (let i = 0; i < 3000; i++) {
      const value = Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      let text: string;
      try {
        text = formatDotenv([
          ['K', value],
          ['NEXT', 'x'],
        ]);
      } catch (error) {
        expect(error).toBeInstanceOf(DotenvFormatError);
        continue;
      }
      written++;
      expect({ value, parsed: parse(text) }).toEqual({ value, parsed: { K: value, NEXT: 'x' } });
    }
    // Refusals are rare mixes (all three quotes with a line break or edge spaces) even in these awkward values.
    expect(written).toBeGreaterThan(2500);
  });

  it('writes each value in the plainest form that holds it', () => {
    expect(dotenvValue('K', 'simple')).toBe('simple');
    expect(dotenvValue('K', 'two words')).toBe("'two words'");
    expect(dotenvValue('K', "it's")).toBe('"it\'s"');
    expect(dotenvValue('K', 'a\nb')).toBe('"a\\nb"');
    expect(
      formatDotenv([
        ['A', '1'],
        ['B', 'x y'],
      ]),
    ).toBe("A=1\nB='x y'\n");
  });

  it('refuses what dotenv cannot hold, naming the key but never the value', () => {
    const impossible = 'it\'s "x" `y`\r';
    expect(() => dotenvValue('SECRET_KEY', impossible)).toThrow(DotenvFormatError);
    expect(() => dotenvValue('SECRET_KEY', impossible)).toThrow(/SECRET_KEY/);
    expect(() => dotenvValue('SECRET_KEY', impossible)).not.toThrow(/it's/);
    expect(() => formatDotenv([['a/b', 'x']])).toThrow(/not a .env name/);
  });
});
