import { parse } from 'dotenv';
import {
  dotenvValue,
  EntryFileError,
  fileOfEntries,
  flattenJson,
  formatDotenv,
  formatOfFileName,
  itemsOfFile,
  JsonObject,
  parseDotenv,
  unflattenJson,
} from './entry-files';
import type { Entry } from './values';

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
        expect(error).toBeInstanceOf(EntryFileError);
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
    expect(() => dotenvValue('SECRET_KEY', impossible)).toThrow(EntryFileError);
    expect(() => dotenvValue('SECRET_KEY', impossible)).toThrow(/SECRET_KEY/);
    expect(() => dotenvValue('SECRET_KEY', impossible)).not.toThrow(/it's/);
    expect(() => formatDotenv([['a/b', 'x']])).toThrow(/not a .env name/);
  });
});

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
    ).toThrow(EntryFileError);
    expect(() =>
      unflattenJson([
        ['a/b', 2],
        ['a', 1],
      ]),
    ).toThrow(EntryFileError);
    expect(() => flattenJson({ 'a/b': 1 })).toThrow(EntryFileError);
    expect(() => flattenJson({ '': 1 })).toThrow(EntryFileError);
  });
});

describe('import and export files', () => {
  const entry = (keyPath: string, value: Entry['value'], valueType: Entry['valueType']): Entry => ({
    id: 'id',
    namespaceId: 'ns',
    keyPath,
    value,
    valueType,
    version: 1,
    metadata: null,
    expiresAt: null,
    createdAt: '',
    updatedAt: '',
  });

  it('the format follows the file name', () => {
    expect(formatOfFileName('settings.JSON')).toBe('json');
    expect(formatOfFileName('.env')).toBe('dotenv');
    expect(formatOfFileName('config.env.txt')).toBe('dotenv');
  });

  it('.env values are strings under the prefix; JSON values keep their type', () => {
    expect(itemsOfFile("A=1\nB='x y'\n", 'dotenv', 'env/')).toEqual([
      { key: 'env/A', value: '1', valueType: 'STRING' },
      { key: 'env/B', value: 'x y', valueType: 'STRING' },
    ]);
    expect(itemsOfFile('{"db":{"port":5432,"tls":true,"hosts":["a"]},"name":"x"}', 'json')).toEqual([
      { key: 'db/port', value: 5432, valueType: undefined },
      { key: 'db/tls', value: true, valueType: undefined },
      { key: 'db/hosts', value: ['a'], valueType: 'JSON' },
      { key: 'name', value: 'x', valueType: undefined },
    ]);
    expect(() => itemsOfFile('[1]', 'json')).toThrow(EntryFileError);
  });

  it('exports keys relative to the prefix, sorted; an import of the export gives the same items', () => {
    const entries = [entry('env/B', 'x y', 'STRING'), entry('env/A', '1', 'STRING')];
    const text = fileOfEntries(entries, 'dotenv', 'env/');
    expect(text).toBe("A=1\nB='x y'\n");
    expect(itemsOfFile(text, 'dotenv', 'env/').map((item) => [item.key, item.value])).toEqual([
      ['env/A', '1'],
      ['env/B', 'x y'],
    ]);
    const json = fileOfEntries([entry('b/c', 2, 'NUMBER'), entry('a', new Uint8Array([104, 105]), 'BINARY')], 'json');
    expect(JSON.parse(json)).toEqual({ a: 'aGk=', b: { c: 2 } });
  });
});
