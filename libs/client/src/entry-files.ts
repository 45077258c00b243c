/**
 * Files of entries, as `kv import`/`kv export` and the console read and write them: a `.env` file (values STRING)
 * or a JSON object whose nested objects are key paths (`{"a":{"b":1}}` is `a/b` = 1).
 *
 * .env files are read with dotenv's own parser and written so that the same parser reads back exactly the same
 * keys and values. dotenv has no general escape: inside double quotes it turns `\n` and `\r` into line breaks and
 * nothing else; single quotes and backticks take everything literally but their own quote; a value may span lines
 * only inside quotes. So each value gets the first form that holds it.
 */
import { parse } from 'dotenv';
import type { BulkSetItem } from './kv-client';
import { bytesToBase64, type Entry, type JsonValue } from './values';

export type EntryFileFormat = 'dotenv' | 'json';

export type JsonObject = { [key: string]: JsonValue };

/** A file that cannot be read as entries, or entries that cannot be written as a file; names keys, never values. */
export class EntryFileError extends Error {}

/** dotenv's key grammar. */
const DOTENV_KEY = /^[\w.-]+$/;
/** Nothing dotenv would cut (`#`), trim (spaces) or unquote. */
const BARE_VALUE = /^[^\s#'"`]*$/;

/** `.json` is JSON, anything else a .env file. */
export function formatOfFileName(fileName: string): EntryFileFormat {
  return fileName.toLowerCase().endsWith('.json') ? 'json' : 'dotenv';
}

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
  throw new EntryFileError(`the value of ${key} cannot be written to a .env file (it mixes quotes, escapes and line breaks): use JSON`);
}

/** The lines of a .env file, in the given order, each ending with a newline. */
export function formatDotenv(entries: Array<[string, string]>): string {
  return entries
    .map(([key, value]) => {
      if (!isDotenvKey(key)) throw new EntryFileError(`key ${key} is not a .env name (letters, digits, _ . - only): use JSON`);
      return `${key}=${dotenvValue(key, value)}\n`;
    })
    .join('');
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[key path, value]` for every leaf, in document order: scalars, arrays, null and empty objects are values. */
export function flattenJson(tree: JsonObject, prefix = ''): Array<[string, JsonValue]> {
  const leaves: Array<[string, JsonValue]> = [];
  for (const [name, value] of Object.entries(tree)) {
    if (name === '' || name.includes('/'))
      throw new EntryFileError(`property name ${JSON.stringify(name)} under "${prefix}" cannot be a key segment (empty, or contains "/")`);
    const key = `${prefix}${name}`;
    if (isObject(value) && Object.keys(value).length > 0) leaves.push(...flattenJson(value, `${key}/`));
    else leaves.push([key, value]);
  }
  return leaves;
}

/** The tree of the given leaves, its properties sorted at every level. */
export function unflattenJson(leaves: Array<[string, JsonValue]>): JsonObject {
  const root: JsonObject = {};
  for (const [key, value] of [...leaves].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const segments = key.split('/');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const child = node[segment] ?? (node[segment] = {});
      if (!isObject(child))
        throw new EntryFileError(`key ${key} lies under ${segment}, which has a value of its own: a JSON file cannot hold both`);
      node = child;
    }
    const last = segments[segments.length - 1];
    if (node[last] !== undefined) throw new EntryFileError(`key ${key} has keys under it: a JSON file cannot hold both`);
    node[last] = value;
  }
  return root;
}

/** The entries a file holds, keys under `prefix`: .env values are strings; JSON values keep their type. */
export function itemsOfFile(text: string, format: EntryFileFormat, prefix = ''): BulkSetItem[] {
  if (format === 'dotenv') return parseDotenv(text).map(([key, value]) => ({ key: `${prefix}${key}`, value, valueType: 'STRING' }));
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (error) {
    throw new EntryFileError(`not a JSON file: ${(error as Error).message}`);
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree))
    throw new EntryFileError('a JSON file to import must hold an object');
  // Arrays, null and empty objects are JSON values; the rest keep their scalar type.
  return flattenJson(tree as JsonObject).map(([key, value]) => ({
    key: `${prefix}${key}`,
    value,
    valueType: typeof value === 'object' ? 'JSON' : undefined,
  }));
}

/** A key under `prefix` without it: prefixes `env` and `env/` name the same keys, the separator is no part of the name. */
export function keyRelativeTo(prefix: string, keyPath: string): string {
  return keyPath.slice(prefix.length).replace(/^\//, '');
}

/** The file for these entries, keys relative to `prefix` and sorted, so that an export of an import gives back a sorted file. */
export function fileOfEntries(entries: Entry[], format: EntryFileFormat, prefix = ''): string {
  const leaves = entries
    .map((entry): [string, JsonValue] => [keyRelativeTo(prefix, entry.keyPath), jsonValueOf(entry)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (format === 'json') return `${JSON.stringify(unflattenJson(leaves), null, 2)}\n`;
  return formatDotenv(leaves.map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

function jsonValueOf(entry: Entry): JsonValue {
  return entry.value instanceof Uint8Array ? bytesToBase64(entry.value) : entry.value;
}
