/** `kv watch`'s text: one line a change, in columns a reader can follow and a script can split at runs of spaces. */
import type { ChangeEvent } from '@kv-service/client';

/** Columns are padded to these widths (a longer cell just pushes the line on): a stream cannot know its widest. */
const WIDTHS = { revision: 8, type: 17, keyPath: 24, version: 5, actor: 16 };

/** Revision, type, key, version, actor and time of a change; `-` where a namespace change has no key or version. */
export function formatChangeLine(change: ChangeEvent): string {
  const cells = [
    change.revision.padEnd(WIDTHS.revision),
    change.type.padEnd(WIDTHS.type),
    (change.keyPath === null ? '-' : plainOrQuoted(change.keyPath)).padEnd(WIDTHS.keyPath),
    (change.version === null ? '-' : `v${change.version}`).padEnd(WIDTHS.version),
    plainOrQuoted(change.actor).padEnd(WIDTHS.actor),
    change.occurredAt,
  ];
  return `${cells.join('  ')}\n`;
}

/** Text as it is when it has no space or control character, else JSON-quoted, so that it stays one cell of one line. */
export function plainOrQuoted(text: string): string {
  return /^[\x21-\x7e\u00a0-\uffff]+$/.test(text) && !/[\u2028\u2029]/.test(text) ? text : JSON.stringify(text);
}
