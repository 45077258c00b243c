import { Limits } from '../common/limits';

// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

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
  if (keyPath.startsWith('/') || keyPath.endsWith('/')) return 'key must not start or end with "/"';
  for (const segment of keyPath.split('/')) {
    if (segment === '') return 'key must not contain an empty segment ("//")';
    if (segment === '.' || segment === '..') return 'key must not contain a "." or ".." segment';
  }
  return null;
}

export function isValidKeyPath(keyPath: string): boolean {
  return keyPathProblem(keyPath) === null;
}
