/**
 * `kv render`'s templates: nunjucks with Kestra's `{{ kv('key/path', 'app/namespace', errorOnMissing) }}`.
 *
 * nunjucks renders synchronously and a value needs a call to the gateway, so a template is rendered in passes: a
 * pass hands a placeholder out for every value not read yet and notes its (namespace, key); the noted keys are read,
 * and the template is rendered again, until a pass needs no placeholder (its output is the result).
 */
import { bytesToBase64, KvApiError, type KvValue } from '@kv-service/client';
import nunjucks from 'nunjucks';
import { NotFoundError } from '../exit-codes';

/**
 * The values of `keys` in `namespace` (as the template or `--namespace` names it: id or application/name); a key
 * absent from the answer is missing. A rejection (say the namespace does not exist) fails each `kv()` call of it.
 */
export type ReadKeys = (namespace: string, keys: readonly string[]) => Promise<ReadonlyMap<string, KvValue>>;

export interface RenderOptions {
  /** The template's file name, for error messages. */
  name: string;
  /** The namespace of a `kv('key')` that names none. */
  defaultNamespace?: string;
  read: ReadKeys;
  /** Renders allowed, each finding the keys whose names come from values of the previous one. */
  maxPasses?: number;
}

export interface Rendered {
  text: string;
  /** The keys the result read, namespace by namespace (as named), present or missing. */
  reads: ReadonlyMap<string, ReadonlySet<string>>;
}

export const DEFAULT_MAX_PASSES = 5;

/** What went wrong in a template, and where; `cause` is what failed in it (a `kv()` call, a filter...), if anything. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  /** `file:line:column`, as far as known. */
  readonly location: string;

  constructor(
    file: string,
    line: number | undefined,
    column: number | undefined,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    const location = [file, line, column].filter((part) => part !== undefined).join(':');
    super(`${location}: ${detail}`, options);
    this.location = location;
  }
}

/** A key asked for with errorOnMissing (the default) that the namespace does not hold. */
export class MissingKeyError extends NotFoundError {
  override readonly name = 'MissingKeyError';

  constructor(key: Told, namespace: Told) {
    super(`${key.written ? `key "${key.text}"` : 'the key named by a value'} not found in namespace ${toldNamespace(namespace)}`);
  }
}

/** A key or namespace of a kv() call, and whether the template (or --namespace) writes it: one it does not may be a value. */
interface Told {
  text: string;
  written: boolean;
}

const toldNamespace = (namespace: Told) => (namespace.written ? namespace.text : '(named by a value)');

/**
 * The value handed out for a key not read yet. Anything made from it (a substring, a concatenation, a character of
 * it) still holds a NUL, which no key path does: a key computed from it is not noted, it is known only once the
 * value it comes from has been read.
 */
const PLACEHOLDER = '\u0000';

/** One namespace's reads so far: each key's value (undefined: missing), or why the namespace could not be read. */
interface NamespaceValues {
  values: Map<string, KvValue | undefined>;
  failure?: { error: unknown };
}

/**
 * A loader for `include`, `import` and `extends` that loads nothing, with a fixed message: nunjucks's own would name the
 * template asked for, which `{% include kv('k') %}` makes a value.
 */
const NO_TEMPLATE_FILES: nunjucks.ILoader = {
  getSource: () => {
    throw new Error('include, import and extends are not supported: a template is one file');
  },
};

/** Renders `source` with the values `read` gives, in as many passes as its keys need (at most `maxPasses`). */
export async function renderTemplate(source: string, options: RenderOptions): Promise<Rendered> {
  const env = new nunjucks.Environment(NO_TEMPLATE_FILES, {
    // The output is a configuration file, not HTML: a value goes in exactly as it is.
    autoescape: false,
    // Keeps nunjucks's own error (its line, column and cause) instead of a copy with only a message.
    dev: true,
  });
  const known = new Map<string, NamespaceValues>();
  let current: Pass | undefined;
  env.addGlobal('kv', (...args: unknown[]) => current?.kv(args));

  let template: nunjucks.Template;
  try {
    template = new nunjucks.Template(source, env, options.name, true);
  } catch (error) {
    // The parser counts lines and columns from 1.
    throw renderErrorOf(options.name, error, 0);
  }

  const maxPasses = options.maxPasses ?? DEFAULT_MAX_PASSES;
  for (let passes = 1; ; passes++) {
    const pass = new Pass(known, options.defaultNamespace, source);
    current = pass;
    let text: string | undefined;
    let failure: unknown;
    try {
      text = template.render({});
    } catch (error) {
      failure = error;
    }
    if (!pass.tentative) {
      // Nothing in this pass was a placeholder: its output, or its error, is the template's.
      if (text === undefined) throw renderErrorOf(options.name, failure, 1);
      return { text, reads: pass.reads };
    }
    if (passes === maxPasses) {
      const wanted = describe(pass.unknown);
      throw new RenderError(
        options.name,
        undefined,
        undefined,
        `keys named by other values still unread after ${maxPasses} passes (${wanted})`,
      );
    }
    // A placeholder may have sent this pass down a wrong branch or into an error: only its keys count.
    await readAll(pass.unknown, known, options.read);
  }
}

/** One render: answers `kv()` from what is known, noting what is not. */
class Pass {
  /** Keys not read yet that this pass asked for, by namespace. */
  readonly unknown = new Map<string, Set<string>>();
  /** Every key this pass asked for, by namespace. */
  readonly reads = new Map<string, Set<string>>();
  /** Whether a placeholder was handed out: until then, this pass follows the template exactly. */
  tentative = false;

  constructor(
    private readonly known: ReadonlyMap<string, NamespaceValues>,
    private readonly defaultNamespace: string | undefined,
    private readonly source: string,
  ) {}

  kv(args: unknown[]): unknown {
    const { key, namespace, errorOnMissing } = kvArguments(args, this.defaultNamespace);
    if (typeof key !== 'string' || key.includes(PLACEHOLDER) || (typeof namespace === 'string' && namespace.includes(PLACEHOLDER))) {
      if (this.tentative) return PLACEHOLDER;
      throw new Error(`kv(): the key must be a string, got ${typeof key}`);
    }
    if (typeof namespace !== 'string') {
      if (this.tentative) return PLACEHOLDER;
      const told = this.told(key);
      throw new Error(
        `${told.written ? `kv('${told.text}')` : 'kv() of a key named by a value'}: no namespace: give it as the second argument, or --namespace`,
      );
    }
    addTo(this.reads, namespace, key);
    const values = this.known.get(namespace);
    if (values?.failure !== undefined) return this.fail(this.namespaceFailure(values.failure.error, namespace));
    if (values === undefined || !values.values.has(key)) {
      addTo(this.unknown, namespace, key);
      this.tentative = true;
      return PLACEHOLDER;
    }
    const value = values.values.get(key);
    if (value === undefined && errorOnMissing !== false) return this.fail(new MissingKeyError(this.told(key), this.told(namespace)));
    return value === undefined ? undefined : templateValue(value);
  }

  /**
   * Whether the template writes `text` as a string literal (or it is --namespace's): errors name only such keys and
   * namespaces, since one computed from a value (`kv(kv('k'))`) may be a secret's.
   */
  private told(text: string): Told {
    const written = text === this.defaultNamespace || this.source.includes(`'${text}'`) || this.source.includes(`"${text}"`);
    return { text, written };
  }

  /** A namespace named by a value that does not exist is not named in the error: the name is the value. */
  private namespaceFailure(error: unknown, namespace: string): unknown {
    const notFound = error instanceof NotFoundError || (error instanceof KvApiError && error.isNotFound());
    return notFound && !this.told(namespace).written ? new NotFoundError('the namespace named by a value was not found') : error;
  }

  /** Thrown where nunjucks tells its line, unless a placeholder came before (the call may be a wrong branch's). */
  private fail(error: unknown): undefined {
    if (this.tentative) return undefined;
    throw error;
  }
}

/** `kv(key, namespace?, errorOnMissing?)`, the last two also by name (`kv('k', errorOnMissing=false)`), as in Kestra. */
function kvArguments(args: unknown[], defaultNamespace: string | undefined) {
  const last = args.at(-1);
  const keywords = isKeywords(last) ? last : {};
  const positional = isKeywords(last) ? args.slice(0, -1) : args;
  const [key, namespace = keywords.namespace, errorOnMissing = keywords.errorOnMissing] = positional;
  return { key, namespace: namespace ?? defaultNamespace, errorOnMissing };
}

/** nunjucks passes keyword arguments as a last object marked `__keywords`. */
function isKeywords(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;
}

/**
 * A value as a template sees it: BINARY as its base64 text, everything else as its JSON type. An object or array
 * prints as its JSON text (not `[object Object]`) and is otherwise left as it is: `.port`, loops and filters see it.
 */
export function templateValue(value: KvValue): unknown {
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (typeof value === 'object' && value !== null) printAsJson(value);
  return value;
}

function printAsJson(value: object): void {
  // A symbol, so that no key of the JSON object is hidden; not enumerable, so that loops and `dump` skip it.
  Object.defineProperty(value, Symbol.toPrimitive, { value: () => JSON.stringify(value), configurable: true });
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) printAsJson(child as object);
}

async function readAll(wanted: ReadonlyMap<string, ReadonlySet<string>>, known: Map<string, NamespaceValues>, read: ReadKeys) {
  await Promise.all(
    [...wanted].map(async ([namespace, keys]) => {
      const values: NamespaceValues = known.get(namespace) ?? { values: new Map() };
      known.set(namespace, values);
      try {
        const found = await read(namespace, [...keys]);
        for (const key of keys) values.values.set(key, found.get(key));
      } catch (error) {
        values.failure = { error };
      }
    }),
  );
}

/**
 * nunjucks's error as a RenderError: its line and column (`lineBase` is 0 where nunjucks counts from 1, as its
 * parser does, and 1 where it counts from 0, as its runtime does), and what failed in the template as the cause.
 */
function renderErrorOf(file: string, error: unknown, lineBase: 0 | 1): RenderError {
  const { lineno, colno, cause, message } = error as { lineno?: number; colno?: number; cause?: unknown; message?: string };
  const at = (position: number | undefined) => (typeof position === 'number' ? position + lineBase : undefined);
  if (cause instanceof Error) return new RenderError(file, at(lineno), at(colno), cause.message, { cause });
  // A syntax error: nunjucks's own message, without the "(file) [Line n, Column m]" it puts before it.
  const detail = String(message ?? error).replace(/^\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\s*/, '');
  return new RenderError(file, at(lineno), at(colno), detail);
}

function addTo(map: Map<string, Set<string>>, namespace: string, key: string): void {
  const keys = map.get(namespace) ?? new Set();
  keys.add(key);
  map.set(namespace, keys);
}

function describe(wanted: ReadonlyMap<string, ReadonlySet<string>>): string {
  return [...wanted].flatMap(([namespace, keys]) => [...keys].map((key) => `"${key}" in ${namespace}`)).join(', ');
}
