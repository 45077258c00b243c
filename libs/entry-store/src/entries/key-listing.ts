import {
  EntryKeyDto,
  EntryKeyListQuery,
  EntryKeyPage,
  ErrorCode,
  KEY_LEVEL_DELIMITER,
  KvException,
  WithRevision,
  encodeCursor,
} from '@app/contracts';
import { cursorPosition, pageLimit } from '@app/service-kit';
import { ENTRY_STATE_COLUMNS, EntryStateRow } from './entry-table';
import { likePrefixPattern } from './like-pattern';

/**
 * Keys-only listings (`values=false`) of both entry tables: keys with their state but never a value, and with a delimiter
 * the next level's folders, each one item of a page however many keys it holds (S3's common prefixes).
 */

/** A row of a keys-only listing: an entry's state and, when it stands for a folder, that folder (its first key's row). */
export interface KeyListingRow extends EntryStateRow {
  folder: string | null;
}

/** Where a page resumes: `key_path > after AND key_path >= from` (both, so that one index range serves either). */
export interface ListingResume {
  after: string;
  from: string;
}

/** An entry table as a keys-only listing reads it: its name, aliased `e`, and what makes one of its rows visible. */
export interface KeyListingSource {
  table: string;
  /** Conditions on `e` every read applies (liveness, and for secrets a committed version). */
  visible: readonly string[];
}

export interface KeyListingQuery {
  prefix: string;
  delimiter: typeof KEY_LEVEL_DELIMITER | null;
  resume: ListingResume | null;
  /** Rows to fetch: the page's size plus one, which says whether there is a next page. */
  rows: number;
}

/** What a page of a keys-only listing is of; its cursor continues only a listing of the same form. */
export type KeyListingForm = Pick<KeyListingQuery, 'prefix' | 'delimiter'>;

const CURSOR_ARITY = 2;
const INVALID_FORM_MESSAGE = 'cursor is not valid for this listing: a cursor continues only a listing of its own prefix and delimiter';
/** A cursor's kind says the form it came from: a key of the flat listing, a key of a level, or a level's folder. */
const CursorKind = { KEY: 'key', LEVEL_KEY: 'level-key', FOLDER: 'folder' } as const;

/** The character right after the delimiter: `folder` with its last character replaced by it sorts after every key below it. */
export const AFTER_DELIMITER = String.fromCharCode(KEY_LEVEL_DELIMITER.charCodeAt(0) + 1);

/** The least string above every key under `folder` (which ends with the delimiter), in the byte order of the keys' "C" collation. */
export function folderEnd(folder: string): string {
  return folder.slice(0, -KEY_LEVEL_DELIMITER.length) + AFTER_DELIMITER;
}

/** The cursor after a page's last item: a key resumes after itself, a folder after every key below it. */
export function keyListingCursorOf(last: Pick<KeyListingRow, 'key_path' | 'folder'>, form: KeyListingForm): string {
  if (last.folder !== null) return encodeCursor([CursorKind.FOLDER, last.folder]);
  return encodeCursor([form.delimiter === null ? CursorKind.KEY : CursorKind.LEVEL_KEY, last.key_path]);
}

/**
 * Where the page of `cursor` resumes, `null` without one. Only a cursor of the same form resumes: one of the other form, or
 * of another prefix, would skip keys (a folder's cursor in the flat listing resumes past the folder's keys) or repeat a
 * folder (a flat key's cursor in a level), so it is INVALID_CURSOR, as is any cursor no keys-only listing made.
 */
export function keyListingResumeOf(cursor: string | undefined, form: KeyListingForm): ListingResume | null {
  const position = cursorPosition(cursor, CURSOR_ARITY);
  if (position === null) return null;
  const [kind, path] = position as [string, string];
  const resume = resumeOf(kind, path, form);
  if (resume === null) throw new KvException(ErrorCode.INVALID_CURSOR, INVALID_FORM_MESSAGE);
  return resume;
}

/** Where a cursor's position resumes when it fits the form; a key of a level holds no delimiter past the prefix, a folder ends at its first. */
function resumeOf(kind: string, path: string, form: KeyListingForm): ListingResume | null {
  if (!path.startsWith(form.prefix)) return null;
  if (form.delimiter === null) return kind === CursorKind.KEY ? { after: path, from: path } : null;
  const delimiterAt = path.indexOf(form.delimiter, form.prefix.length);
  if (kind === CursorKind.LEVEL_KEY) return delimiterAt === -1 ? { after: path, from: path } : null;
  if (kind === CursorKind.FOLDER && delimiterAt === path.length - form.delimiter.length) return { after: path, from: folderEnd(path) };
  return null;
}

/** Cuts rows fetched with one extra to a page: keys and folders in key order, together at most `limit`. */
export function toKeyListingPage(
  rows: readonly KeyListingRow[],
  limit: number,
  form: KeyListingForm,
): { items: EntryKeyDto[]; folders: string[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const items: EntryKeyDto[] = [];
  const folders: string[] = [];
  for (const row of page) {
    if (row.folder === null) items.push(entryKeyDtoOf(row));
    else folders.push(row.folder);
  }
  return { items, folders, nextCursor: rows.length > limit ? keyListingCursorOf(page[page.length - 1]!, form) : null };
}

/**
 * A page of a keys-only listing, as both entry services answer it: the query checked (its cursor, pure, before any I/O), then
 * `read`, which authorizes the call and runs `keyListingStatement`.
 */
export async function keyListingPage(
  query: EntryKeyListQuery,
  read: (listing: KeyListingQuery) => Promise<{ rows: KeyListingRow[]; revision: number }>,
): Promise<EntryKeyPage & WithRevision> {
  const limit = pageLimit(query.limit);
  const form: KeyListingForm = { prefix: query.prefix ?? '', delimiter: query.delimiter ?? null };
  const resume = keyListingResumeOf(query.cursor, form);
  const { rows, revision } = await read({ ...form, resume, rows: limit + 1 });
  return { ...toKeyListingPage(rows, limit, form), revision };
}

/** An entry's state as the API shows it, without a value (the row has none). */
export function entryKeyDtoOf(row: EntryStateRow): EntryKeyDto {
  return {
    id: row.id,
    namespaceId: row.namespace_id,
    keyPath: row.key_path,
    valueType: row.value_type,
    version: row.version,
    metadata: row.metadata,
    expiresAt: row.expires_at === null ? null : row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * One page of a keys-only listing as one statement, its rows in key order, for `withHeadRevisionSql`. Without a delimiter,
 * an index range scan. With one, a walk of index seeks (a recursive CTE), one per item: after a key the next key, after a
 * folder the first key past its whole range (`folderEnd`), so that a page reads as many rows as it answers, never a folder's
 * keys. Only placeholders are assembled here; every value goes in as a parameter.
 */
export function keyListingStatement(
  source: KeyListingSource,
  namespaceId: string,
  query: KeyListingQuery,
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [namespaceId];
  const parameter = (value: unknown): string => `$${parameters.push(value)}`;
  const scope = ['e.namespace_id = $1', ...source.visible];
  if (query.prefix !== '') scope.push(`e.key_path LIKE ${parameter(likePrefixPattern(query.prefix))}`);
  const resumed =
    query.resume === null ? [] : [`e.key_path > ${parameter(query.resume.after)}`, `e.key_path >= ${parameter(query.resume.from)}`];
  const columns = ENTRY_STATE_COLUMNS.map((column) => `e.${column}`).join(', ');
  const limit = parameter(query.rows);
  if (query.delimiter === null) {
    return {
      sql: `SELECT ${columns}, NULL::text AS folder FROM ${source.table} e WHERE ${[...scope, ...resumed].join(' AND ')} ORDER BY e.key_path LIMIT ${limit}`,
      parameters,
    };
  }
  // The rest of the key after the prefix (counted in characters, as Postgres counts them), and its first delimiter.
  const start = `char_length(${parameter(query.prefix)}::text)`;
  const delimiter = parameter(query.delimiter);
  const rest = `substr(e.key_path, ${start} + 1)`;
  const folder = `CASE WHEN strpos(${rest}, ${delimiter}) > 0 THEN left(e.key_path, ${start} + strpos(${rest}, ${delimiter})) END`;
  const step = (bounds: string[]) =>
    `SELECT ${columns}, ${folder} AS folder FROM ${source.table} e WHERE ${[...scope, ...bounds].join(' AND ')} ORDER BY e.key_path LIMIT 1`;
  const pastPrevious = [
    'e.key_path > level.key_path',
    `e.key_path >= COALESCE(left(level.folder, -${KEY_LEVEL_DELIMITER.length}) || ${parameter(AFTER_DELIMITER)}, level.key_path)`,
  ];
  return {
    sql: `WITH RECURSIVE level AS (
            (SELECT 1 AS n, found.* FROM (${step(resumed)}) found)
            UNION ALL
            SELECT level.n + 1, found.* FROM level CROSS JOIN LATERAL (${step(pastPrevious)}) found WHERE level.n < ${limit}
          )
          SELECT ${ENTRY_STATE_COLUMNS.join(', ')}, folder FROM level`,
    parameters,
  };
}
