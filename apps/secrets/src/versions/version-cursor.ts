import { ErrorCode, KvException, Limits } from '@app/contracts';
import { cursorPosition } from '@app/service-kit';

/** The version a history page continues below, `null` for the first page; INVALID_CURSOR for a cursor we did not make. */
export function versionCursor(cursor: string | undefined): number | null {
  const position = cursorPosition(cursor, 1);
  if (position === null) return null;
  const version = Number(position[0]);
  if (!/^[1-9][0-9]*$/.test(position[0]!) || version > Limits.MAX_VERSION) {
    throw new KvException(ErrorCode.INVALID_CURSOR, 'cursor is not valid for this listing');
  }
  return version;
}
