import type { ScrollAreaProps } from '@mantine/core';

/**
 * A table's scroll area that the keyboard can reach and scroll (axe's scrollable-region-focusable: a table of text
 * alone, wider than a phone, would otherwise scroll only by pointer), named for screen readers.
 */
export function scrollRegion(label: string): ScrollAreaProps {
  return { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } };
}
