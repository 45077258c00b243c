import { bytesToBase64, parseDecimalNumber, type KvValue, type ValueType } from '@kv-service/client';

/** The value types, in the order the editor offers them, with what a person calls them. */
export const VALUE_TYPES: ReadonlyArray<{ value: ValueType; label: string }> = [
  { value: 'STRING', label: 'Text' },
  { value: 'JSON', label: 'JSON' },
  { value: 'NUMBER', label: 'Number' },
  { value: 'BOOLEAN', label: 'Boolean' },
  { value: 'BINARY', label: 'Binary (file)' },
  { value: 'DATETIME', label: 'Date and time' },
  { value: 'DATE', label: 'Date' },
  { value: 'DURATION', label: 'Duration' },
];

/**
 * A value as its editor holds it: text for every type (a boolean as 'true'/'false', a date and time as a
 * datetime-local input's UTC text), and bytes for BINARY.
 */
export interface ValueDraft {
  text: string;
  bytes: Uint8Array | null;
}

export const EMPTY_DRAFT: ValueDraft = { text: '', bytes: null };

// The gateway's own rules (libs/contracts value-codec), so that the form says so before the call does.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:[.,]\d+)?S)?)?$/;

/** An instant as a datetime-local input shows it, in UTC (seconds, and milliseconds when it has any). */
export function dateTimeInputOf(iso: string): string {
  const utc = new Date(iso).toISOString();
  return utc.endsWith('.000Z') ? utc.slice(0, 19) : utc.slice(0, 23);
}

export function draftOf(valueType: ValueType, value: KvValue): ValueDraft {
  if (value instanceof Uint8Array) return { text: '', bytes: value };
  switch (valueType) {
    case 'JSON':
      return { text: JSON.stringify(value, null, 2), bytes: null };
    case 'DATETIME':
      return { text: dateTimeInputOf(String(value)), bytes: null };
    default:
      return { text: String(value), bytes: null };
  }
}

export type DraftResult = { value: KvValue } | { problem: string };

/** The value a draft saves as its type, or why it cannot (said as the field's error). */
export function valueOfDraft(valueType: ValueType, draft: ValueDraft): DraftResult {
  const text = draft.text;
  switch (valueType) {
    case 'STRING':
      return { value: text };
    case 'JSON':
      try {
        return { value: JSON.parse(text) as KvValue };
      } catch (error) {
        return { problem: `Not JSON: ${(error as Error).message}` };
      }
    case 'NUMBER': {
      const number = parseDecimalNumber(text.trim());
      return number !== null ? { value: number } : { problem: 'A number in decimal notation, e.g. 42 or -1.5' };
    }
    case 'BOOLEAN':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: 'True or false' };
    case 'BINARY':
      return draft.bytes ? { value: draft.bytes } : { problem: 'Choose a file' };
    case 'DATE':
      return DATE.test(text) && isCalendarDate(text) ? { value: text } : { problem: 'A date, YYYY-MM-DD' };
    case 'DATETIME':
      return DATETIME_INPUT.test(text) && isCalendarDate(text.slice(0, 10))
        ? { value: `${text.length === 16 ? `${text}:00` : text}Z` }
        : { problem: 'A date and time (UTC)' };
    case 'DURATION':
      return DURATION.test(text.trim()) ? { value: text.trim() } : { problem: 'An ISO-8601 duration, e.g. PT30S, PT1H30M or P1DT2H' };
  }
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/** JSON text laid out with two-space indents, or null when it is not JSON. */
export function formatJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/**
 * A value as text, JSON as JSON and the rest as they are. `bytes`: BINARY by its size, to show (a conflict's sides,
 * an import's plan), or as base64, the value itself (a secret revealed or copied). `oneLine`: JSON unindented, for a
 * table's cell.
 */
export function valueText(
  valueType: ValueType,
  value: KvValue,
  { bytes = 'size', oneLine = false }: { bytes?: 'size' | 'base64'; oneLine?: boolean } = {},
): string {
  if (value instanceof Uint8Array) return bytes === 'base64' ? bytesToBase64(value) : `${value.byteLength} bytes`;
  if (valueType === 'JSON') return oneLine ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  return String(value);
}

/** Metadata as typed: empty is none, else a JSON object. */
export function metadataOf(text: string): { metadata: Record<string, unknown> | undefined } | { problem: string } {
  if (text.trim() === '') return { metadata: undefined };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { metadata: parsed as Record<string, unknown> };
  } catch {
    // said below
  }
  return { problem: 'A JSON object, e.g. {"owner": "team-billing"}' };
}
