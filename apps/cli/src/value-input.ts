import { base64ToBytes, KvValue, parseDecimalNumber, ValueType } from '@kv-service/client';
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';

export const VALUE_TYPES: readonly ValueType[] = ['STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION'];

export class ValueInputError extends Error {}

/** A value typed on the command line, as the type it is stored as; the gateway checks the finer rules (dates, durations). */
export function parseValueInput(text: string, valueType: ValueType): KvValue {
  switch (valueType) {
    case 'NUMBER': {
      const number = parseDecimalNumber(text);
      if (number === null) throw new ValueInputError('a NUMBER value must be a finite number in decimal notation, e.g. 42 or -1.5');
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
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
        throw new ValueInputError('a BINARY value must be given as base64');
      return base64ToBytes(text);
    default:
      return text;
  }
}

/** The argument that stands for standard input, as in `kv set ns key -`. */
export const FROM_STDIN = '-';

/** More than any server takes (values are 1 MiB by default): stop reading there. */
const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** Standard input as the CLI sees it; a terminal is asked, anything else is read to its end. */
export type ValueSource = AsyncIterable<Buffer | string> & { isTTY?: boolean };

/**
 * The argument as text of its type, or with `-` standard input, which keeps a secret out of the process list and the shell's
 * history: piped, one final line break (from `echo` or a file) is dropped and a BINARY value is the bytes; from a terminal it
 * is asked for unshown. Empty input is refused: far more often an unset variable than a wanted empty value.
 */
export async function valueFromArgument(
  argument: string,
  valueType: ValueType,
  input: ValueSource = process.stdin,
  prompts: NodeJS.WritableStream = process.stderr,
): Promise<KvValue> {
  if (argument !== FROM_STDIN) return parseValueInput(argument, valueType);
  if (input.isTTY) {
    const typed = await askUnseen(`value (${valueType}, not shown): `, input as ValueSource & NodeJS.ReadableStream, prompts);
    if (typed === '') throw new ValueInputError('no value was typed');
    return parseValueInput(typed, valueType);
  }
  const bytes = await readToEnd(input);
  if (valueType === 'BINARY') {
    if (bytes.length === 0) throw new ValueInputError('standard input was empty: no value to write');
    return new Uint8Array(bytes);
  }
  const text = bytes.toString('utf8').replace(/\r?\n$/, '');
  // A lone line break is what `echo "$UNSET"` gives.
  if (text === '') throw new ValueInputError('standard input was empty: no value to write');
  return parseValueInput(text, valueType);
}

/**
 * One line typed at the terminal, not shown: readline runs the terminal (raw mode, line editing) but
 * echoes into nothing. Ctrl-D or Ctrl-C ends it without a value; a line break follows on the prompts'
 * stream, as the typed one is not shown.
 */
async function askUnseen(prompt: string, input: NodeJS.ReadableStream, prompts: NodeJS.WritableStream): Promise<string> {
  prompts.write(prompt);
  const unseen = new Writable({ write: (_chunk, _encoding, done) => done() });
  const line = createInterface({ input, output: unseen, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      line.once('line', resolve);
      line.once('close', () => reject(new ValueInputError('no value was typed')));
      line.once('SIGINT', () => reject(new ValueInputError('cancelled')));
    });
  } finally {
    line.close();
    prompts.write('\n');
  }
}

async function readToEnd(input: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_STDIN_BYTES)
      throw new ValueInputError(`standard input holds more than ${MAX_STDIN_BYTES / 1024 / 1024} MiB: too large for a value`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
