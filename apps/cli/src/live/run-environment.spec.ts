import type { Entry } from '@kv-service/client';
import {
  changedNames,
  childEnvironment,
  contentOf,
  EnvironmentError,
  exitCodeOf,
  folderPrefix,
  signalNamed,
  variableNameOf,
  variablesOf,
  variableValueOf,
} from './run-environment';

const entry = (keyPath: string, value: Entry['value'], valueType: Entry['valueType'] = 'STRING') => ({ keyPath, value, valueType });

describe('kv run: names', () => {
  it('the key relative to the prefix, / as _, case kept', () => {
    expect(variableNameOf('', 'DB_HOST')).toBe('DB_HOST');
    expect(variableNameOf('app/', 'app/db/Host')).toBe('db_Host');
    // `--prefix app` and `--prefix app/` name the same variables, as `kv export` names the same keys.
    expect(variableNameOf('app', 'app/db/Host')).toBe('db_Host');
    expect(variableNameOf('', 'a/b/c')).toBe('a_b_c');
  });

  it.each([
    ['1st', '1st'],
    ['db-host', 'db-host'],
    ['db.host', 'db.host'],
    ['odd keys/a b', '"odd keys_a b"'],
    ['naïve', 'naïve'],
  ])('a key that gives no POSIX name is an error naming it: %j', (key, shown) => {
    const error = catchError(() => variablesOf([entry('FINE', 'x'), entry(key, 'secret-value-1')]));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain(
      `key ${key.includes(' ') ? JSON.stringify(key) : key} gives ${shown}, not an environment variable name`,
    );
    expect(error.message).not.toContain('secret-value-1');
  });

  it('a key equal to the prefix gives no name', () => {
    expect(() => variablesOf([entry('app/', 'x')], 'app/')).toThrow('key app/ gives "", not an environment variable name');
  });

  it('two keys giving one name are an error naming both, and every other problem is told with them', () => {
    const error = catchError(() => variablesOf([entry('db/host', 'a'), entry('db_host', 'b'), entry('x-y', 'c')]));
    expect(error.message).toContain('keys db/host and db_host all give db_host');
    expect(error.message).toContain('key x-y gives x-y');
    // Names that differ only in case are two variables.
    expect(variablesOf([entry('Db', 'a'), entry('DB', 'b')])).toEqual({ Db: 'a', DB: 'b' });
  });
});

describe('kv run: values', () => {
  it('STRING as it is, BINARY as base64, the others as their JSON text', () => {
    expect(variableValueOf(entry('k', 'text with "quotes"\nand a line'))).toBe('text with "quotes"\nand a line');
    expect(variableValueOf(entry('k', Uint8Array.of(0, 1, 255), 'BINARY'))).toBe('AAH/');
    expect(variableValueOf(entry('k', 5432, 'NUMBER'))).toBe('5432');
    expect(variableValueOf(entry('k', 1.5e-7, 'NUMBER'))).toBe('1.5e-7');
    expect(variableValueOf(entry('k', false, 'BOOLEAN'))).toBe('false');
    expect(variableValueOf(entry('k', { rps: [1, 2] }, 'JSON'))).toBe('{"rps":[1,2]}');
    expect(variableValueOf(entry('k', 'a string', 'JSON'))).toBe('"a string"');
    expect(variableValueOf(entry('k', null, 'JSON'))).toBe('null');
  });

  it('a value with a NUL byte is an error naming its key, not showing the value (node would quote it)', () => {
    const error = catchError(() => variablesOf([entry('TOKEN', 'secret\0value')]));
    expect(error.message).toContain('the value of key TOKEN holds a NUL byte');
    expect(error.message).not.toContain('secret');
    // As JSON text it is escaped, so it can be a variable.
    expect(variablesOf([entry('J', { a: 'x\0y' }, 'JSON')])).toEqual({ J: '{"a":"x\\u0000y"}' });
  });
});

describe('kv run: the environment', () => {
  const inherited = { PATH: '/bin', DB_HOST: 'from-shell' };

  it('entries win over the inherited environment; with --no-override the inherited values stay', () => {
    expect(childEnvironment(inherited, { DB_HOST: 'from-kv', PORT: '1' }, true)).toEqual({ PATH: '/bin', DB_HOST: 'from-kv', PORT: '1' });
    expect(childEnvironment(inherited, { DB_HOST: 'from-kv', PORT: '1' }, false)).toEqual({
      PATH: '/bin',
      DB_HOST: 'from-shell',
      PORT: '1',
    });
  });

  it('--signal compares reads by key, type and value', () => {
    const read = [entry('a', 'x'), entry('b', 1, 'NUMBER')];
    expect(contentOf([entry('a', 'x'), entry('b', 1, 'NUMBER')])).toBe(contentOf(read));
    expect(contentOf([entry('a', 'y'), entry('b', 1, 'NUMBER')])).not.toBe(contentOf(read));
    expect(contentOf([entry('a', 'x'), entry('b', '1', 'STRING')])).not.toBe(contentOf(read));
    expect(contentOf([entry('a', 'x')])).not.toBe(contentOf(read));
  });

  it('names whose value was added, removed or changed', () => {
    expect(changedNames({ A: '1', B: '2', C: '3' }, { A: '1', B: 'two', D: '4' })).toEqual(['B', 'C', 'D']);
    expect(changedNames({ A: '1' }, { A: '1' })).toEqual([]);
  });
});

describe('kv run: exit codes and signals', () => {
  it("a child's exit code as it is; killed by a signal, 128 + its number as shells give it", () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(7, null)).toBe(7);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 'SIGINT')).toBe(130);
  });

  it('signal names with or without SIG, in any case', () => {
    expect(signalNamed('HUP')).toBe('SIGHUP');
    expect(signalNamed('sigusr1')).toBe('SIGUSR1');
    expect(signalNamed('SIGTERM')).toBe('SIGTERM');
    expect(signalNamed('FOO')).toBeUndefined();
    expect(signalNamed('')).toBeUndefined();
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error was thrown');
}

describe('folderPrefix', () => {
  it('reads a prefix as a folder of keys, so that no key merely starting with it becomes a variable', () => {
    expect(folderPrefix('env')).toBe('env/');
    expect(folderPrefix('env/')).toBe('env/');
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix(undefined)).toBe('');
    expect('envoy'.startsWith(folderPrefix('env'))).toBe(false);
  });
});
