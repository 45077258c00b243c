import { isWellFormedText } from '../text/text-rule';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded JSON.
 * Clients pass them back unchanged; a cursor that does not decode is a client error.
 */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Returns the position, or `null` when the cursor is not one this service made with `arity` parts. */
export function decodeCursor(cursor: string, arity: number): string[] | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== arity) return null;
    // A forged cursor could carry text no key holds (U+0000, a lone surrogate), which Postgres refuses.
    return decoded.every((part) => typeof part === 'string' && isWellFormedText(part)) ? (decoded as string[]) : null;
  } catch {
    return null;
  }
}
