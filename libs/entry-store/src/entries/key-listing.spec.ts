import { ErrorCode, encodeCursor } from '@app/contracts';
import {
  AFTER_DELIMITER,
  KeyListingRow,
  folderEnd,
  KeyListingForm,
  keyListingCursorOf,
  keyListingPage,
  keyListingResumeOf,
  keyListingStatement,
  toKeyListingPage,
} from './key-listing';
import { liveSql } from './ttl';

const at = new Date('2026-01-02T03:04:05.000Z');
const row = (keyPath: string, folder: string | null = null): KeyListingRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  namespace_id: '00000000-0000-4000-8000-0000000000aa',
  key_path: keyPath,
  value_type: 'STRING',
  version: 3,
  metadata: { owner: 'ops' },
  expires_at: null,
  created_at: at,
  updated_at: at,
  folder,
});

const byteOrder = (keys: string[]) => [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

describe('folderEnd', () => {
  it('is the folder with its delimiter replaced by the next character', () => {
    expect(AFTER_DELIMITER).toBe('0');
    expect(folderEnd('config/db/')).toBe('config/db0');
  });

  it('sorts, in byte order, after every key below the folder and before every key past it', () => {
    const below = ['a/b/', 'a/b/c', 'a/b/~~~', 'a/b/\u{10FFFF}', 'a/b//x'];
    const past = ['a/b0', 'a/b0/x', 'a/b1', 'a/bc', 'a/c'];
    const sorted = byteOrder([...below, ...past, folderEnd('a/b/')]);
    expect(sorted.indexOf(folderEnd('a/b/'))).toBe(below.length);
  });
});

describe('keys-only cursors', () => {
  const flat = { prefix: '', delimiter: null };
  const level = { prefix: '', delimiter: '/' as const };
  const cursorOf = (keyPath: string, folder: string | null, form: KeyListingForm) =>
    keyListingCursorOf({ key_path: keyPath, folder }, form);

  it('a key resumes strictly after itself, in the form it came from', () => {
    expect(keyListingResumeOf(cursorOf('a/k', null, flat), flat)).toEqual({ after: 'a/k', from: 'a/k' });
    expect(keyListingResumeOf(cursorOf('k', null, level), level)).toEqual({ after: 'k', from: 'k' });
    const under = { prefix: 'a/', delimiter: '/' as const };
    expect(keyListingResumeOf(cursorOf('a/k', null, under), under)).toEqual({ after: 'a/k', from: 'a/k' });
  });

  it('a folder resumes past every key below it', () => {
    const under = { prefix: 'a/', delimiter: '/' as const };
    expect(keyListingResumeOf(cursorOf('a/f/first', 'a/f/', under), under)).toEqual({ after: 'a/f/', from: 'a/f0' });
    // A prefix that does not end at a delimiter: the folder ends at the first delimiter after it.
    const partial = { prefix: 'ap', delimiter: '/' as const };
    expect(keyListingResumeOf(cursorOf('app/x', 'app/', partial), partial)).toEqual({ after: 'app/', from: 'app0' });
  });

  it('no cursor starts at the beginning', () => {
    expect(keyListingResumeOf(undefined, flat)).toBeNull();
    expect(keyListingResumeOf('', level)).toBeNull();
  });

  const refused = expect.objectContaining({ code: ErrorCode.INVALID_CURSOR });

  it.each([
    ['garbage', 'not base64url!'],
    ["a values listing's cursor", encodeCursor(['a/k'])],
    ['an unknown kind', encodeCursor(['entry', 'a/k'])],
  ])('refuses %s with INVALID_CURSOR', (_name, cursor) => {
    expect(() => keyListingResumeOf(cursor, flat)).toThrow(refused);
    expect(() => keyListingResumeOf(cursor, level)).toThrow(refused);
  });

  // With keys a/b/1, a/b/2, a/c and b, a level's first item is the folder a/: in the flat listing its cursor would resume
  // past every key under a/ and answer b alone; a flat key's cursor in a level would answer the folder a/ again.
  it.each([
    ["a level's folder in the flat listing", cursorOf('a/b/1', 'a/', level), flat],
    ["a level's key in the flat listing", cursorOf('b', null, level), flat],
    ["the flat listing's key in a level", cursorOf('a/b/1', null, flat), level],
    ['a key of another prefix', cursorOf('b', null, flat), { prefix: 'a/', delimiter: null }],
    ['a folder of another prefix', cursorOf('a/b/1', 'a/', level), { prefix: 'b/', delimiter: '/' as const }],
    ["a deeper level's key in a level above it", cursorOf('a/c', null, { prefix: 'a/', delimiter: '/' }), level],
    ["a deeper level's folder in a level above it", cursorOf('a/b/1', 'a/b/', { prefix: 'a/', delimiter: '/' }), level],
    ['a folder without its delimiter', encodeCursor(['folder', 'a/f']), level],
  ])('refuses %s with INVALID_CURSOR', (_name, cursor, form: KeyListingForm) => {
    expect(() => keyListingResumeOf(cursor, form)).toThrow(refused);
  });
});

describe('keyListingPage', () => {
  it('reads the page the query asks for, one row more than its limit, and cuts it to the limit', async () => {
    const read = jest.fn().mockResolvedValue({ rows: [row('a/k'), row('a/m/1', 'a/m/'), row('a/z')], revision: 7 });
    const page = await keyListingPage({ prefix: 'a/', delimiter: '/', limit: 2 }, read);
    expect(read).toHaveBeenCalledWith({ prefix: 'a/', delimiter: '/', resume: null, rows: 3 });
    expect(page).toMatchObject({ folders: ['a/m/'], revision: 7 });
    const next = jest.fn().mockResolvedValue({ rows: [], revision: 7 });
    await keyListingPage({ prefix: 'a/', delimiter: '/', limit: 2, cursor: page.nextCursor! }, next);
    expect(next).toHaveBeenCalledWith({ prefix: 'a/', delimiter: '/', resume: { after: 'a/m/', from: 'a/m0' }, rows: 3 });
  });

  it('refuses a cursor of another form before reading anything', async () => {
    const read = jest.fn();
    const folderCursor = keyListingCursorOf({ key_path: 'a/b/1', folder: 'a/' }, { prefix: '', delimiter: '/' });
    await expect(keyListingPage({ cursor: folderCursor }, read)).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
    expect(read).not.toHaveBeenCalled();
  });
});

describe('toKeyListingPage', () => {
  it('splits keys from folders, keeps no value, and has no next page when everything fit', () => {
    const page = toKeyListingPage([row('a/f/x', 'a/f/'), row('a/k')], 2, { prefix: 'a/', delimiter: '/' });
    expect(page).toEqual({
      items: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          namespaceId: '00000000-0000-4000-8000-0000000000aa',
          keyPath: 'a/k',
          valueType: 'STRING',
          version: 3,
          metadata: { owner: 'ops' },
          expiresAt: null,
          createdAt: '2026-01-02T03:04:05.000Z',
          updatedAt: '2026-01-02T03:04:05.000Z',
        },
      ],
      folders: ['a/f/'],
      nextCursor: null,
    });
    expect(page.items[0]).not.toHaveProperty('value');
  });

  it('counts a folder as one item, and the extra row only says that a next page follows its last item', () => {
    const form = { prefix: 'a/', delimiter: '/' as const };
    const page = toKeyListingPage([row('a/k'), row('a/m/1', 'a/m/'), row('a/z')], 2, form);
    expect(page.items.map((item) => item.keyPath)).toEqual(['a/k']);
    expect(page.folders).toEqual(['a/m/']);
    expect(keyListingResumeOf(page.nextCursor!, form)).toEqual({ after: 'a/m/', from: 'a/m0' });
  });
});

describe('keyListingStatement', () => {
  const source = { table: 'entry', visible: [liveSql('e')] };
  const ns = '00000000-0000-4000-8000-0000000000aa';

  it('without a delimiter: one range scan, every value a parameter', () => {
    const { sql, parameters } = keyListingStatement(source, ns, { prefix: 'a_b/', delimiter: null, resume: null, rows: 101 });
    expect(sql).not.toMatch(/RECURSIVE/);
    expect(sql).toMatch(/e\.key_path LIKE \$2/);
    expect(parameters).toEqual([ns, 'a\\_b/%', 101]);
  });

  it('with a delimiter: a walk of seeks, resumed where the cursor says, and no value column', () => {
    const { sql, parameters } = keyListingStatement(source, ns, {
      prefix: 'a/',
      delimiter: '/',
      resume: { after: 'a/f/', from: 'a/f0' },
      rows: 11,
    });
    expect(sql).toMatch(/WITH RECURSIVE level/);
    expect(sql).not.toMatch(/\bvalue\b|ciphertext/);
    expect(parameters).toEqual([ns, 'a/%', 'a/f/', 'a/f0', 11, 'a/', '/', '0']);
  });

  it('lists no prefix condition for the whole namespace', () => {
    const { sql, parameters } = keyListingStatement(source, ns, { prefix: '', delimiter: '/', resume: null, rows: 2 });
    expect(sql).not.toMatch(/LIKE/);
    expect(parameters).toEqual([ns, 2, '', '/', '0']);
  });
});
