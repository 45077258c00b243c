/**
 * The entry route's key: `/namespaces/:namespaceId/entry/<key>`, each segment of the key percent-encoded on its own.
 * Read from the pathname, since React Router decodes %2F in a splat (a `/` or `%` inside a segment would be lost).
 * `null` for a path of another form, an empty segment or a malformed escape.
 */
export function keyOfEntryPath(pathname: string): string | null {
  const match = /^\/namespaces\/[^/]+\/entry\/(.+)$/.exec(pathname);
  if (!match) return null;
  const segments = match[1]!.split('/');
  if (segments.some((segment) => segment === '')) return null;
  try {
    return segments.map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    return null;
  }
}

/** The route of an entry, the inverse of keyOfEntryPath. */
export function entryPathOf(namespaceId: string, key: string): string {
  return `/namespaces/${encodeURIComponent(namespaceId)}/entry/${key.split('/').map(encodeURIComponent).join('/')}`;
}
