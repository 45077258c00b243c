import { ErrorCode, KvException, Limits, decodeCursor, encodeCursor } from '@app/contracts';

/** The page size asked for, with the default and the cap applied (the DTO rejects larger ones already). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isInteger(limit) || limit < 1) return Limits.DEFAULT_PAGE_SIZE;
  return Math.min(limit, Limits.MAX_PAGE_SIZE);
}

/** The keyset position a cursor stands for, `null` without a cursor; a cursor we did not make is INVALID_CURSOR. */
export function cursorPosition(cursor: string | undefined, arity: number): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  const position = decodeCursor(cursor, arity);
  if (position === null) throw new KvException(ErrorCode.INVALID_CURSOR, 'cursor is not valid for this listing');
  return position;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cuts `rows` (fetched with `limit + 1`) to a page: the extra row only says that there is a next
 * page, whose cursor is the position of this page's last item.
 */
export function toPage<T>(rows: readonly T[], limit: number, positionOf: (row: T) => readonly string[]): Page<T> {
  if (rows.length <= limit) return { items: [...rows], nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(positionOf(items[items.length - 1]!)) };
}
