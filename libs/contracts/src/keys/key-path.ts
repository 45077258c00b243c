import { Limits } from '../common/limits';
import { TEXT_RULE, isWellFormedText } from '../text/text-rule';

// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** `{key}/versions` is the version history of `{key}`, so no key may end with that segment. */
export const RESERVED_LAST_SEGMENT = 'versions';

/**
 * Checks a hierarchical key path (`config/database/host`).
 * Returns why the path is invalid, or `null` when it is valid.
 */
export function keyPathProblem(keyPath: string): string | null {
  if (typeof keyPath !== 'string' || keyPath.length === 0) return 'key must not be empty';
  if (Buffer.byteLength(keyPath, 'utf8') > Limits.MAX_KEY_BYTES) {
    return `key must be at most ${Limits.MAX_KEY_BYTES} bytes`;
  }
  if (CONTROL_CHARACTER.test(keyPath)) return 'key must not contain control characters';
  if (!isWellFormedText(keyPath)) return `key ${TEXT_RULE}`;
  if (keyPath.startsWith('/') || keyPath.endsWith('/')) return 'key must not start or end with "/"';
  const segments = keyPath.split('/');
  for (const segment of segments) {
    if (segment === '') return 'key must not contain an empty segment ("//")';
    if (segment === '.' || segment === '..') return 'key must not contain a "." or ".." segment';
  }
  if (segments.length > 1 && segments[segments.length - 1] === RESERVED_LAST_SEGMENT) {
    return `key must not end with "/${RESERVED_LAST_SEGMENT}": GET .../entries/{key}/${RESERVED_LAST_SEGMENT} lists a secret's history`;
  }
  return null;
}
