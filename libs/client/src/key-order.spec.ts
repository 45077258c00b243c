import { compareKeyPaths, levelItemsOf } from './key-order';
import type { EntryKey } from './schemas';

const byBytes = (x: string, y: string) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
const key = (keyPath: string): EntryKey => ({
  id: '00000000-0000-4000-8000-000000000001',
  namespaceId: '00000000-0000-4000-8000-0000000000aa',
  keyPath,
  valueType: 'STRING',
  version: 1,
  metadata: null,
  expiresAt: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
});

describe('compareKeyPaths', () => {
  const paths = ['a', 'a/', 'a/b', 'a0', 'ab', 'é', '\uE000', '\uFF61', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{1F600}x', '\u{10FFFF}', ''];

  it('orders as UTF-8 bytes do, where the default sort does not (beyond U+FFFF)', () => {
    const sorted = [...paths].sort(compareKeyPaths);
    expect(sorted).toEqual([...paths].sort(byBytes));
    expect([...paths].sort()).not.toEqual(sorted);
    expect(compareKeyPaths('\uFF61', '\u{1F600}')).toBe(-1);
  });

  it('is 0 for equal paths, and puts a path before the longer paths it starts', () => {
    expect(compareKeyPaths('a/\u{1F600}', 'a/\u{1F600}')).toBe(0);
    expect(compareKeyPaths('a', 'a/')).toBe(-1);
    expect(compareKeyPaths('a/', 'a')).toBe(1);
  });
});

describe('levelItemsOf', () => {
  it("merges a page's keys and folders in the gateway's order, a folder where its first key would be", () => {
    const page = { items: [key('cfg/a'), key('cfg/b0'), key('cfg/\uFF61'), key('cfg/\u{1F600}')], folders: ['cfg/b/', 'cfg/\uFFFF/'] };
    expect(levelItemsOf(page).map((item) => [item.kind, item.path])).toEqual([
      ['key', 'cfg/a'],
      ['folder', 'cfg/b/'],
      ['key', 'cfg/b0'],
      ['key', 'cfg/\uFF61'],
      ['folder', 'cfg/\uFFFF/'],
      ['key', 'cfg/\u{1F600}'],
    ]);
  });

  it("keeps each key's state", () => {
    const entry = key('k');
    expect(levelItemsOf({ items: [entry], folders: [] })).toEqual([{ kind: 'key', path: 'k', entry }]);
  });
});
