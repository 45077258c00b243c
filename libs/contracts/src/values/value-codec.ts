import { TEXT_RULE, isWellFormedJsonText } from '../text/text-rule';
import { hasOnlyFiniteNumbers } from './json-content';
import { ValueType } from './value-type';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:[.,]\d+)?S)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Proleptic Gregorian, as ISO 8601 counts; by arithmetic, since Date.UTC reads years 0-99 as 1900-1999.
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

function dateProblem(value: string): string | null {
  const match = DATE.exec(value);
  if (!match) return 'must be a date of the form YYYY-MM-DD';
  const [, y, m, d] = match;
  return isCalendarDate(Number(y), Number(m), Number(d)) ? null : 'is not a calendar date';
}

function dateTimeProblem(value: string): string | null {
  const match = DATETIME.exec(value);
  if (!match) return 'must be an ISO-8601 instant with a time zone, e.g. 2024-05-01T12:00:00Z';
  const [, y, mo, d, h, mi, s, , , offH, offM] = match;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return 'is not a calendar date';
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return 'has an out-of-range time';
  if (offH !== undefined && (Number(offH) > 23 || Number(offM) > 59)) return 'has an out-of-range offset';
  return null;
}

/**
 * Checks that a value matches its declared type. Values are stored and returned as the same JSON
 * value they came in as, so this is a check, not a conversion.
 * Returns why the value does not match, or `null`. The reason never quotes the value.
 */
export function valueProblem(valueType: ValueType, value: unknown): string | null {
  const problem =
    typeProblem(valueType, value) ??
    (isWellFormedJsonText(value) ? null : `${TEXT_RULE} (binary data goes in BINARY, as base64)`) ??
    (hasOnlyFiniteNumbers(value) ? null : NON_FINITE_NUMBER);
  return problem === null ? null : `value of type ${valueType} ${problem}`;
}

const NON_FINITE_NUMBER = 'must not hold a number beyond what JSON can carry (it would be stored as null)';

/** Metadata's keys and strings follow the text rule, its numbers are finite (INVALID_VALUE); why not, or `null`. */
export function metadataTextProblem(metadata: unknown): string | null {
  if (!isWellFormedJsonText(metadata)) return `metadata ${TEXT_RULE}`;
  return hasOnlyFiniteNumbers(metadata) ? null : `metadata ${NON_FINITE_NUMBER}`;
}

function typeProblem(valueType: ValueType, value: unknown): string | null {
  {
    switch (valueType) {
      case ValueType.STRING:
        return typeof value === 'string' ? null : 'must be a string';
      case ValueType.JSON:
        return value === undefined ? 'must be a JSON value' : null;
      case ValueType.NUMBER:
        return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
      case ValueType.BOOLEAN:
        return typeof value === 'boolean' ? null : 'must be true or false';
      case ValueType.BINARY:
        return typeof value === 'string' && BASE64.test(value) ? null : 'must be a base64 string';
      case ValueType.DATE:
        return typeof value === 'string' ? dateProblem(value) : 'must be a string';
      case ValueType.DATETIME:
        return typeof value === 'string' ? dateTimeProblem(value) : 'must be a string';
      case ValueType.DURATION:
        return typeof value === 'string' && DURATION.test(value) ? null : 'must be an ISO-8601 duration, e.g. PT30S or P1DT2H';
      default: {
        const unknownType: never = valueType;
        return `has unknown type ${String(unknownType)}`;
      }
    }
  }
}
