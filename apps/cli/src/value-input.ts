import { base64ToBytes, KvValue, ValueType } from '@kv-service/client';

export const VALUE_TYPES: readonly ValueType[] = ['STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION'];

export class ValueInputError extends Error {}

/** A value typed on the command line, as the type it is stored as; the gateway checks the finer rules (dates, durations). */
export function parseValueInput(text: string, valueType: ValueType): KvValue {
  switch (valueType) {
    case 'NUMBER': {
      // Decimal only: Number() would also take `0x10`, `0b1` or padded text and store something else.
      if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) throw new ValueInputError('a NUMBER value must be a decimal number');
      const number = Number(text);
      if (!Number.isFinite(number)) throw new ValueInputError('a NUMBER value must be a finite number');
      return number;
    }
    case 'BOOLEAN':
      if (text !== 'true' && text !== 'false') throw new ValueInputError('a BOOLEAN value must be true or false');
      return text === 'true';
    case 'JSON':
      try {
        return JSON.parse(text) as KvValue;
      } catch {
        throw new ValueInputError('a JSON value must be valid JSON');
      }
    case 'BINARY':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new ValueInputError('a BINARY value must be given as base64');
      return base64ToBytes(text);
    default:
      return text;
  }
}
