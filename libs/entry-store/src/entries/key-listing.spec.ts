import { ErrorCode, encodeCursor } from '@app/contracts';
import {
  AFTER_DELIMITER,
  KeyListingRow,
  folderEnd,
  keyListingCursorOf,
  keyListingResumeOf,
  keyListingStatement,
  toKeyListingPage,
} from './key-listing';

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
  it('a key resumes strictly after itself', () => {
    expect(keyListingResumeOf(keyListingCursorOf({ key_path: 'a/k', folder: null }))).toEqual({ after: 'a/k', from: 'a/k' });
  });

  it('a folder resumes past every key below it', () => {
    expect(keyListingResumeOf(keyListingCursorOf({ key_path: 'a/f/first', folder: 'a/f/' }))).toEqual({ after: 'a/f/', from: 'a/f0' });
  });

  it('no cursor starts at the beginning', () => {
    expect(keyListingResumeOf(undefined)).toBeNull();
    expect(keyListingResumeOf('')).toBeNull();
  });

  it.each([
    ['garbage', 'not base64url!'],
    ["a values listing's cursor", encodeCursor(['a/k'])],
    ['an unknown kind', encodeCursor(['entry', 'a/k'])],
    ['a folder without its delimiter', encodeCursor(['folder', 'a/f'])],
  ])('refuses %s with INVALID_CURSOR', (_name, cursor) => {
    expect(() => keyListingResumeOf(cursor)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
  });
});

describe('toKeyListingPage', () => {
  it('splits keys from folders, keeps no value, and has no next page when everything fit', () => {
    const page = toKeyListingPage([row('a/f/x', 'a/f/'), row('a/k')], 2);
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
    const page = toKeyListingPage([row('a/k'), row('a/m/1', 'a/m/'), row('a/z')], 2);
    expect(page.items.map((item) => item.keyPath)).toEqual(['a/k']);
    expect(page.folders).toEqual(['a/m/']);
    expect(keyListingResumeOf(page.nextCursor!)).toEqual({ after: 'a/m/', from: 'a/m0' });
  });
});

describe('keyListingStatement', () => {
  const source = { table: 'entry', visible: ['(e.expires_at IS NULL OR e.expires_at > now())'] };
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
