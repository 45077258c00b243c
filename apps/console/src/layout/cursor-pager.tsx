import { Button, Group } from '@mantine/core';
import { useState } from 'react';

export interface CursorPages {
  /** The cursor of the page shown (`undefined`: the first). */
  cursor: string | undefined;
  pageNumber: number;
  next(cursor: string): void;
  previous(): void;
}

/**
 * The API's pages are cursors forwards only: the cursors of the pages before are kept to go back. A new `resetKey`
 * (a filter) starts again at the first page.
 */
export function useCursorPages(resetKey: string): CursorPages {
  const [state, setState] = useState<{ key: string; cursors: Array<string | undefined> }>({ key: resetKey, cursors: [undefined] });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  return {
    cursor: cursors[cursors.length - 1],
    pageNumber: cursors.length,
    next: (cursor) => setState({ key: resetKey, cursors: [...cursors, cursor] }),
    previous: () => setState({ key: resetKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
  };
}

export function CursorPager({
  pages,
  nextCursor,
  busy,
  label,
}: {
  pages: CursorPages;
  nextCursor: string | null;
  busy: boolean;
  label: string;
}) {
  if (pages.pageNumber === 1 && nextCursor === null) return null;
  return (
    <Group component="nav" aria-label={label} justify="flex-end" gap="xs">
      <Button variant="default" size="xs" disabled={pages.pageNumber === 1 || busy} onClick={pages.previous}>
        Previous page
      </Button>
      <span aria-live="polite">Page {pages.pageNumber}</span>
      <Button variant="default" size="xs" disabled={nextCursor === null || busy} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next page
      </Button>
    </Group>
  );
}
