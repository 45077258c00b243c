import type { EntryKey } from './schemas';

/**
 * Orders key paths as the gateway does: by their UTF-8 bytes, which is by code point. JavaScript's default string order is by
 * UTF-16 code unit and differs beyond U+FFFF: it puts `'\u{1F600}'` (a surrogate pair) before `'\uFF61'`, the gateway after.
 */
export function compareKeyPaths(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** One row of a level of keys: a folder (its path ends with `/`), or a key with its state. */
export type LevelItem = { kind: 'folder'; path: string } | { kind: 'key'; path: string; entry: EntryKey };

/**
 * A keys-only page's `items` and `folders` (`listEntryKeys`) as one list in the gateway's key order, as a tree or a table of
 * the level shows them: a folder sits where its first key would.
 */
export function levelItemsOf(page: { items: readonly EntryKey[]; folders: readonly string[] }): LevelItem[] {
  const rows: LevelItem[] = [
    ...page.folders.map((path): LevelItem => ({ kind: 'folder', path })),
    ...page.items.map((entry): LevelItem => ({ kind: 'key', path: entry.keyPath, entry })),
  ];
  return rows.sort((x, y) => compareKeyPaths(x.path, y.path));
}
