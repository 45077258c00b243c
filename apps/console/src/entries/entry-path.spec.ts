import { breadcrumbsOf, entryPathOf, folderOf, keyOfEntryPath, namespacePathOf, nameInFolder } from './entry-path';

describe('entry paths', () => {
  it('encodes each segment of a key on its own and reads it back from the pathname', () => {
    const keys = ['tls/cert.pem', 'config/db host', 'a/b%2Fc?d#e', 'ключ/значение', 'app.json'];
    for (const key of keys) {
      const path = entryPathOf('ns-1', key);
      expect(path.startsWith('/namespaces/ns-1/entry/')).toBe(true);
      expect(keyOfEntryPath(path)).toBe(key);
    }
    expect(entryPathOf('ns-1', 'config/db host')).toBe('/namespaces/ns-1/entry/config/db%20host');
    // '%2F' inside a segment stays part of the segment: only a raw '/' separates.
    expect(entryPathOf('ns-1', 'a/b%2Fc')).toBe('/namespaces/ns-1/entry/a/b%252Fc');
  });

  it('answers null for a pathname that is not an entry route, or whose escapes are broken', () => {
    for (const pathname of ['/namespaces/ns-1', '/namespaces/ns-1/entry/', '/audit', '/namespaces/ns-1/entry/a/%E0%A4%A'])
      expect(keyOfEntryPath(pathname)).toBeNull();
  });

  it("puts a folder in the namespace page's query, the top without one", () => {
    expect(namespacePathOf('ns-1')).toBe('/namespaces/ns-1');
    expect(namespacePathOf('ns-1', 'config/db host/')).toBe('/namespaces/ns-1?prefix=config%2Fdb+host%2F');
  });

  it('takes a folder from a prefix, and names a row within its folder', () => {
    expect(folderOf(null)).toBe('');
    expect(folderOf('config/db/')).toBe('config/db/');
    expect(folderOf('config/db')).toBe('config/');
    expect(nameInFolder('config/db/host', 'config/db/')).toBe('host');
    expect(nameInFolder('config/db/', 'config/')).toBe('db/');
  });

  it('lists the breadcrumbs from the top down to the folder', () => {
    expect(breadcrumbsOf('', 'payments')).toEqual([{ label: 'payments', folder: '' }]);
    expect(breadcrumbsOf('config/db/', 'payments')).toEqual([
      { label: 'payments', folder: '' },
      { label: 'config', folder: 'config/' },
      { label: 'db', folder: 'config/db/' },
    ]);
  });
});
