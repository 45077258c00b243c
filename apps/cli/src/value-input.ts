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

/** The argument that stands for standard input, as in `kv set ns key -`. */
export const FROM_STDIN = '-';

/** More than any server takes (values are 1 MiB by default, BINARY is given as base64): stop reading there. */
const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/**
 * The value's text: the argument itself, or with `-` all of standard input. A value read from standard
 * input stays out of the process list and the shell's history, where a secret must not be. One final line
 * break (from `echo` or a file's last line) is dropped; the text is otherwise taken as it is.
 */
export async function valueText(argument: string, input: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  if (argument !== FROM_STDIN) return argument;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) throw new ValueInputError(`standard input holds more than ${MAX_STDIN_BYTES / 1024 / 1024} MiB: too large for a value`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
