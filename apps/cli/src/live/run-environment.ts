/**
 * `kv run`'s rules: which environment variable each entry under the prefix becomes, with what text, on top of the
 * inherited environment. Errors name keys, never a value: the values may be secrets.
 */
import { bytesToBase64, keyRelativeTo, type Entry } from '@kv-service/client';
import { constants } from 'node:os';
import { plainOrQuoted } from './change-line';

/** POSIX's portable name: what every shell can read back as `$NAME`. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Entries that cannot become an environment: nothing is started with them. */
export class EnvironmentError extends Error {}

/** The variable's name: the key relative to the prefix, `/` as `_`, case kept. */
/**
 * The prefix `kv run` reads under: a folder of keys, so `env` is `env/`. A bare string prefix would make `envoy` the
 * variable `oy` and `envPATH` one named `PATH`.
 */
export function folderPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix.endsWith('/')) return prefix ?? '';
  return `${prefix}/`;
}

export function variableNameOf(prefix: string, keyPath: string): string {
  return keyRelativeTo(prefix, keyPath).replace(/\//g, '_');
}

/** The variable's text: STRING as it is, BINARY as its base64, every other type as its JSON text. */
export function variableValueOf(entry: Pick<Entry, 'valueType' | 'value'>): string {
  if (entry.value instanceof Uint8Array) return bytesToBase64(entry.value);
  return entry.valueType === 'STRING' && typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value);
}

/**
 * The variables of these entries, or an EnvironmentError naming every key that cannot be one: not a POSIX name,
 * two keys giving one name, or a value with a NUL byte (which no environment can hold).
 */
export function variablesOf(entries: ReadonlyArray<Pick<Entry, 'keyPath' | 'valueType' | 'value'>>, prefix = ''): Record<string, string> {
  const keysByName = new Map<string, string[]>();
  for (const entry of entries) {
    const name = variableNameOf(prefix, entry.keyPath);
    keysByName.set(name, [...(keysByName.get(name) ?? []), entry.keyPath]);
  }
  const problems: string[] = [];
  for (const [name, keys] of keysByName) {
    const named = `${keys.length > 1 ? 'keys' : 'key'} ${keys.map(plainOrQuoted).join(' and ')}`;
    if (!ENV_NAME.test(name))
      problems.push(`${named} give${keys.length > 1 ? '' : 's'} ${plainOrQuoted(name)}, not an environment variable name`);
    else if (keys.length > 1) problems.push(`${named} all give ${name}`);
  }
  const variables: Record<string, string> = {};
  for (const entry of entries) {
    const value = variableValueOf(entry);
    if (value.includes('\0')) problems.push(`the value of key ${plainOrQuoted(entry.keyPath)} holds a NUL byte, which no environment can`);
    variables[variableNameOf(prefix, entry.keyPath)] = value;
  }
  if (problems.length > 0)
    throw new EnvironmentError(
      `cannot make an environment of these entries (names are [A-Za-z_][A-Za-z0-9_]*, the key relative to the prefix with / as _): ${problems.join('; ')}`,
    );
  return variables;
}

/** The child's environment: the variables win over the inherited ones, unless `override` is false. */
export function childEnvironment(inherited: NodeJS.ProcessEnv, variables: Record<string, string>, override: boolean): NodeJS.ProcessEnv {
  return override ? { ...inherited, ...variables } : { ...variables, ...inherited };
}

/** What two reads are compared by for `--signal`: each entry's key, type and value as its variable's text. */
export function contentOf(entries: ReadonlyArray<Pick<Entry, 'keyPath' | 'valueType' | 'value'>>): string {
  return JSON.stringify(entries.map((entry) => [entry.keyPath, entry.valueType, variableValueOf(entry)]));
}

/** Names whose value differs between two environments (added, removed or changed), sorted. */
export function changedNames(before: NodeJS.ProcessEnv, after: NodeJS.ProcessEnv): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

/** The exit code a shell gives a command: its own, or 128 + the number of the signal that killed it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : constants.signals[signal];
  return number === undefined ? 1 : 128 + number;
}

/** `HUP`, `hup` or `SIGHUP` as a signal's name; undefined when there is no such signal. */
export function signalNamed(text: string): NodeJS.Signals | undefined {
  const name = `SIG${text.toUpperCase().replace(/^SIG/, '')}`;
  return Object.hasOwn(constants.signals, name) ? (name as NodeJS.Signals) : undefined;
}
