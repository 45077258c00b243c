/** What the commands print: plain text for people, `--json` for programs. */
import { bytesToBase64, Entry, KvValue } from '@kv-service/client';

/** kv's own line on standard error: never a value, at most names and counts. */
export function note(text: string): void {
  process.stderr.write(`kv: ${text}\n`);
}

/**
 * Standard output that cannot be written calls `end`: a reader that went away (`kv watch ... | head`) quietly, as
 * Ctrl-C would; any other failure is told. The listener stays: the error of the last write may come after the end.
 */
export function endOnClosedOutput(end: () => void): void {
  let ended = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && !ended) note(`cannot write the output: ${error.message}`);
    ended = true;
    end();
  });
}

/** JSON with bytes as base64, as the API itself carries them. */
export function toJson(data: unknown): string {
  return `${JSON.stringify(data, (_key, value: unknown) => (value instanceof Uint8Array ? bytesToBase64(value) : value), 2)}\n`;
}

/** A value as `kv get` prints it: strings raw, bytes as base64, JSON indented. */
export function formatValue(value: KvValue): string {
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value, null, 2);
  return String(value);
}

/** A value on one line of a listing: anything with line breaks or tabs shown JSON-escaped. */
export function formatValueInline(value: KvValue): string {
  const text = value instanceof Uint8Array || typeof value !== 'object' || value === null ? formatValue(value) : JSON.stringify(value);
  return /[\u0000-\u001f]/.test(text) ? JSON.stringify(text) : text;
}

/** Columns padded to their widest cell; the last column is never padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return (
    all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n') +
    '\n'
  );
}

export function formatEntries(entries: Entry[]): string {
  return formatTable(
    ['KEY', 'TYPE', 'VERSION', 'VALUE'],
    entries.map((entry) => [entry.keyPath, entry.valueType, String(entry.version), formatValueInline(entry.value)]),
  );
}
