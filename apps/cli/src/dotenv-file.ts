/**
 * .env files: read with dotenv's own parser, written so that the same parser reads back exactly the
 * same keys and values. dotenv has no general escape: inside double quotes it turns `\n` and `\r` into
 * line breaks and nothing else; single quotes and backticks take everything literally but their own
 * quote; a value may span lines only inside quotes. So each value gets the first form that holds it.
 */
import { parse } from 'dotenv';

/** dotenv's key grammar. */
const DOTENV_KEY = /^[\w.-]+$/;
/** Nothing dotenv would cut (`#`), trim (spaces) or unquote. */
const BARE_VALUE = /^[^\s#'"`]*$/;

export class DotenvFormatError extends Error {}

export function parseDotenv(text: string): Array<[string, string]> {
  return Object.entries(parse(text));
}

export function isDotenvKey(key: string): boolean {
  return DOTENV_KEY.test(key);
}

/** The value as dotenv will read it back, or an error naming the key (never quoting the value). */
export function dotenvValue(key: string, value: string): string {
  if (BARE_VALUE.test(value)) return value;
  // A closing quote right after a backslash reads as escaped in dotenv's grammar.
  const quotable = (quote: string) => !value.includes(quote) && !value.endsWith('\\');
  const hasLineBreak = /[\r\n]/.test(value);
  if (!hasLineBreak && quotable("'")) return `'${value}'`;
  // In double quotes line breaks are written as \n and \r, so the line stays one line.
  if (quotable('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
  // dotenv reads every CR LF or CR as LF before parsing: a raw CR cannot survive outside double quotes.
  if (!value.includes('\r')) {
    if (quotable('`')) return `\`${value}\``;
    if (quotable("'")) return `'${value}'`;
  }
  // dotenv unquotes only a value that starts and ends with the same quote, and cuts only at `#`; but it
  // expands `\n` and `\r` in any value that merely starts with a double quote.
  const bareReadsBack =
    !/[\r\n#]/.test(value) &&
    value === value.trim() &&
    !/^(['"`])[\s\S]*\1$/.test(value) &&
    !(value.startsWith('"') && /\\[nr]/.test(value));
  if (bareReadsBack) return value;
  throw new DotenvFormatError(
    `the value of ${key} cannot be written to a .env file (it mixes quotes, escapes and line breaks); use --format json`,
  );
}

/** The lines of a .env file, in the given order, each ending with a newline. */
export function formatDotenv(entries: Array<[string, string]>): string {
  return entries
    .map(([key, value]) => {
      if (!isDotenvKey(key)) throw new DotenvFormatError(`key ${key} is not a .env name (letters, digits, _ . - only); use --format json`);
      return `${key}=${dotenvValue(key, value)}\n`;
    })
    .join('');
}
