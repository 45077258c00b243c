import { KvApiError, KvNotFoundError } from '@kv-service/client';
import { CommanderError } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection } from './config';
import { NotFoundError, UsageError } from './exit-codes';
import { failureOf } from './failure';
import { NamespaceRefError, parseNamespaceRef } from './namespace-ref';
import { formatTable, formatValue, formatValueInline, toJson } from './output';
import { formatOfFile } from './transfer';
import { PassThrough } from 'node:stream';
import { parseValueInput, ValueInputError, ValueSource, valueFromArgument } from './value-input';

describe('namespace references', () => {
  it('a UUID is an id, application/name a name', () => {
    expect(parseNamespaceRef('3F1C2A9E-8B7D-4C6E-9F0A-1B2C3D4E5F60')).toEqual({ id: '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60' });
    expect(parseNamespaceRef('billing/config')).toEqual({ applicationId: 'billing', name: 'config' });
  });

  it.each(['billing', 'a/b/c', '/config', 'billing/', ''])('refuses %j', (text) => {
    expect(() => parseNamespaceRef(text)).toThrow(NamespaceRefError);
  });
});

describe('connection settings', () => {
  const configFile = (content: object) => {
    const file = join(mkdtempSync(join(tmpdir(), 'kv-config-')), 'config.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  it('flags, then the environment, then the config file, each setting on its own', () => {
    const KV_CONFIG = configFile({ url: 'http://file', token: 'file-token' });
    expect(resolveConnection({}, { KV_CONFIG })).toEqual({ url: 'http://file', token: 'file-token' });
    expect(resolveConnection({}, { KV_CONFIG, KV_URL: 'http://env' })).toEqual({ url: 'http://env', token: 'file-token' });
    expect(resolveConnection({ token: 'flag-token' }, { KV_CONFIG, KV_URL: 'http://env', KV_TOKEN: 'env-token' })).toEqual({
      url: 'http://env',
      token: 'flag-token',
    });
    expect(resolveConnection({ url: 'http://flag' }, { KV_CONFIG })).toEqual({ url: 'http://flag', token: 'file-token' });
  });

  it('a missing setting is a usage error', () => {
    expect(() => resolveConnection({}, { KV_CONFIG: '/nonexistent/kv.json', KV_URL: 'http://env' })).toThrow(/no token/);
    expect(() => resolveConnection({}, { KV_CONFIG: configFile([1, 2]) as string })).toThrow(UsageError);
  });
});

describe('values typed on the command line', () => {
  it.each([
    ['42.5', 'NUMBER', 42.5],
    ['true', 'BOOLEAN', true],
    ['{"a":[1]}', 'JSON', { a: [1] }],
    ['aGk=', 'BINARY', new Uint8Array([104, 105])],
    ['2024-05-01', 'DATE', '2024-05-01'],
    [' spaced ', 'STRING', ' spaced '],
  ] as const)('%j as %s', (text, type, value) => expect(parseValueInput(text, type)).toEqual(value));

  it.each([
    ['x', 'NUMBER'],
    ['', 'NUMBER'],
    ['0x10', 'NUMBER'],
    ['1e999', 'NUMBER'],
    ['yes', 'BOOLEAN'],
    ['{', 'JSON'],
    ['abc', 'BINARY'],
  ] as const)('refuses %j as %s', (text, type) => {
    expect(() => parseValueInput(text, type)).toThrow(ValueInputError);
  });
});

describe('valueFromArgument', () => {
  function piped(...parts: Array<string | Buffer>): ValueSource {
    return (async function* () {
      for (const part of parts) yield Buffer.from(part);
    })();
  }

  it('takes an argument as text of its type, without touching standard input', async () => {
    const untouched: ValueSource = {
      [Symbol.asyncIterator]: () => {
        throw new Error('read standard input');
      },
    };
    await expect(valueFromArgument('s3cr3t\n', 'STRING', untouched)).resolves.toBe('s3cr3t\n');
    await expect(valueFromArgument('42', 'NUMBER', untouched)).resolves.toBe(42);
  });

  it('with -, reads a pipe to its end and drops one final line break only', async () => {
    await expect(valueFromArgument('-', 'STRING', piped('s3c', 'r3t\n'))).resolves.toBe('s3cr3t');
    await expect(valueFromArgument('-', 'STRING', piped('line 1\nline 2\r\n'))).resolves.toBe('line 1\nline 2');
    await expect(valueFromArgument('-', 'STRING', piped('two breaks\n\n'))).resolves.toBe('two breaks\n');
    await expect(valueFromArgument('-', 'STRING', piped(' héllo '))).resolves.toBe(' héllo ');
    await expect(valueFromArgument('-', 'JSON', piped('{"a":[1]}\n'))).resolves.toEqual({ a: [1] });
  });

  it('takes piped bytes as they are for BINARY, line breaks included', async () => {
    const bytes = Buffer.from([0, 255, 10, 13, 10]);
    await expect(valueFromArgument('-', 'BINARY', piped(bytes))).resolves.toEqual(new Uint8Array(bytes));
  });

  it('refuses empty input (an unset variable, most likely) and input larger than any value', async () => {
    await expect(valueFromArgument('-', 'STRING', piped())).rejects.toThrow(ValueInputError);
    await expect(valueFromArgument('-', 'STRING', piped('\n'))).rejects.toThrow('standard input was empty');
    await expect(valueFromArgument('-', 'BINARY', piped())).rejects.toThrow('standard input was empty');
    await expect(valueFromArgument('-', 'BINARY', piped('\n'))).resolves.toEqual(new Uint8Array([10]));
    const mebibyte = Buffer.alloc(1024 * 1024, 'a');
    await expect(valueFromArgument('-', 'STRING', piped(...Array.from({ length: 16 }, () => mebibyte)))).resolves.toHaveLength(
      16 * 1024 * 1024,
    );
    await expect(valueFromArgument('-', 'STRING', piped(...Array.from({ length: 16 }, () => mebibyte), 'a'))).rejects.toThrow(
      /more than 16 MiB/,
    );
  });

  it('at a terminal, asks for the value without showing it', async () => {
    const keyboard = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => keyboard });
    const screen = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const shown: string[] = [];
    screen.on('data', (chunk: Buffer) => shown.push(chunk.toString()));
    const value = valueFromArgument('-', 'STRING', keyboard, screen);
    setTimeout(() => keyboard.write('typed-secret\r'), 10);
    await expect(value).resolves.toBe('typed-secret');
    expect(shown.join('')).toBe('value (STRING, not shown): \n');
  });

  it('at a terminal, ends without a value on Ctrl-D or Ctrl-C', async () => {
    const terminal = () => Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const screen = new PassThrough();
    const endOfInput = terminal();
    const ended = valueFromArgument('-', 'STRING', endOfInput, screen);
    setTimeout(() => endOfInput.write('\u0004'), 10);
    await expect(ended).rejects.toThrow('no value was typed');
    const interrupted = terminal();
    const cancelled = valueFromArgument('-', 'STRING', interrupted, screen);
    setTimeout(() => interrupted.write('\u0003'), 10);
    await expect(cancelled).rejects.toThrow('cancelled');
  });
});

describe('output', () => {
  it('prints values as their type, bytes as base64, JSON indented; inline, line breaks escaped', () => {
    expect(formatValue('a b')).toBe('a b');
    expect(formatValue(5)).toBe('5');
    expect(formatValue(new Uint8Array([104, 105]))).toBe('aGk=');
    expect(formatValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatValueInline({ a: 1 })).toBe('{"a":1}');
    expect(formatValueInline('two\nlines')).toBe('"two\\nlines"');
    expect(toJson({ bytes: new Uint8Array([104, 105]) })).toBe('{\n  "bytes": "aGk="\n}\n');
  });

  it('aligns table columns', () => {
    expect(
      formatTable(
        ['KEY', 'VALUE'],
        [
          ['a', '1'],
          ['longer', '2'],
        ],
      ),
    ).toBe('KEY     VALUE\na       1\nlonger  2\n');
  });
});

describe('import files', () => {
  it('the format follows the file name unless given', () => {
    expect(formatOfFile('settings.JSON')).toBe('json');
    expect(formatOfFile('.env')).toBe('dotenv');
    expect(formatOfFile('x.json', 'dotenv')).toBe('dotenv');
    expect(() => formatOfFile('x', 'yaml')).toThrow(UsageError);
  });
});

describe('exit codes', () => {
  it('0 for help, 2 for usage, 3 for not found, 1 for the rest', () => {
    expect(failureOf(new CommanderError(0, 'commander.helpDisplayed', '')).code).toBe(0);
    expect(failureOf(new CommanderError(1, 'commander.unknownCommand', 'x')).code).toBe(2);
    expect(failureOf(new UsageError('x')).code).toBe(2);
    expect(failureOf(new NamespaceRefError('x')).code).toBe(2);
    expect(failureOf(new KvNotFoundError(404, 'ENTRY_NOT_FOUND', 'entry not found')).code).toBe(3);
    expect(failureOf(new NotFoundError('namespace a/b not found')).code).toBe(3);
    expect(failureOf(new KvApiError(409, 'VERSION_CONFLICT', 'version conflict', 'req-9'))).toEqual({
      code: 1,
      message: 'version conflict (VERSION_CONFLICT, HTTP 409, request req-9)',
    });
    expect(failureOf(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }))).toEqual({
      code: 1,
      message: 'fetch failed (connect ECONNREFUSED 127.0.0.1:1)',
    });
  });
});
