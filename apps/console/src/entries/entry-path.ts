/**
 * The console's addresses of a namespace's folders and entries. An entry's key goes in the path, each segment
 * percent-encoded on its own and joined with '/', so that `tls/cert.pem` reads as itself; React Router decodes %2F in a
 * splat, so the key is read back from the raw pathname, not from the route's params.
 */

const ENTRY_PATH = /^\/namespaces\/([^/]+)\/entry\/(.+)$/;

/** Where the namespace page shows `folder` (a prefix ending with '/', or '' for the top). */
export function namespacePathOf(namespaceId: string, folder = ''): string {
  const path = `/namespaces/${encodeURIComponent(namespaceId)}`;
  return folder === '' ? path : `${path}?${new URLSearchParams({ prefix: folder }).toString()}`;
}

/** Where one entry is shown and edited. */
export function entryPathOf(namespaceId: string, key: string): string {
  return `/namespaces/${encodeURIComponent(namespaceId)}/entry/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The key an entry route's pathname (without the basename) names, or null when it names none (or is malformed). */
export function keyOfEntryPath(pathname: string): string | null {
  const match = ENTRY_PATH.exec(pathname);
  if (!match) return null;
  try {
    return match[2]!.split('/').map(decodeURIComponent).join('/');
  } catch {
    // A stray '%' typed into the address bar: not a key this console wrote.
    return null;
  }
}

export interface Breadcrumb {
  label: string;
  /** The folder it opens: '' for the top, else a prefix ending with '/'. */
  folder: string;
}

/** The folders from the top down to `folder`: `a/b/` → top, `a/`, `a/b/`. */
export function breadcrumbsOf(folder: string, topLabel: string): Breadcrumb[] {
  const segments = folder.split('/').filter((segment, index, all) => index < all.length - 1 || segment !== '');
  const crumbs: Breadcrumb[] = [{ label: topLabel, folder: '' }];
  let path = '';
  for (const segment of segments) {
    path += `${segment}/`;
    crumbs.push({ label: segment, folder: path });
  }
  return crumbs;
}

/** A query's `prefix` as a folder: '' or a prefix ending with '/' (anything else is taken as its folder). */
export function folderOf(prefix: string | null): string {
  if (!prefix) return '';
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** The last segment of a key or folder, as a row names it within its folder. */
export function nameInFolder(path: string, folder: string): string {
  return path.startsWith(folder) ? path.slice(folder.length) : path;
}
