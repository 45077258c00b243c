/**
 * A key's URL path: each segment percent-encoded on its own, so `/` keeps the key hierarchical
 * (`config/db host` → `config/db%20host`) while `?`, `#`, `%` and the like stay part of the key.
 */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
