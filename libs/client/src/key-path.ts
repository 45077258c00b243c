/**
 * A key's URL path: each segment percent-encoded on its own, so `/` keeps the key hierarchical
 * (`config/db host` → `config/db%20host`) while `?`, `#`, `%` and the like stay part of the key.
 */
export function encodeKeyPath(key: string): string {
  const segments = key.split('/');
  // URL parsing resolves `.` and `..` segments (also percent-encoded ones), which would send the call to
  // another resource: `../../namespaces/<id>` would address a namespace. The gateway refuses such keys anyway.
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidKeyPathError(`key "${key}" has an empty, "." or ".." segment`);
  }
  return segments.map(encodeURIComponent).join('/');
}

/** The `{nsId}` of a route's path. */
export function namespaceParam(namespaceId: string): Record<string, string> {
  return { nsId: encodeURIComponent(namespaceId) };
}

/** A key path that cannot be addressed: refused before any request is made. */
export class InvalidKeyPathError extends Error {
  override readonly name = 'InvalidKeyPathError';
}
