import fc from 'fast-check';
import {
  RawJson,
  ambiguousMediaType,
  excessiveDepth,
  jsonText,
  nestedJson,
  nonJsonMediaType,
  numberTextThatIsNotJson,
  textBreakingTheRule,
} from './hostile-arbitraries';
import { Expectation, badRequest, either, refused } from './fuzz-harness';

/**
 * The parts of a request the route families share: how a body goes on the wire (and what the service
 * would act on, should the gateway take it), the defects of bodies and query strings that every route
 * with one must refuse the same way, and how a generated case prints without secret values.
 */

/** The longest prefix of whole code points that fits in `max` UTF-16 code units (a cut pair would break the text rule). */
export function atMostUnits(text: string, max: number): string {
  let out = '';
  for (const codePoint of text) {
    if (out.length + codePoint.length > max) break;
    out += codePoint;
  }
  return out;
}

/** `arbitrary` with the given probability, else undefined (fc.option's `freq` counts the other way). */
export function maybe<T>(arbitrary: fc.Arbitrary<T>, probability: number): fc.Arbitrary<T | undefined> {
  const weight = Math.round(probability * 100);
  return fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary });
}

/** A defect of a query string: the pairs it adds (replacing well-formed ones of the same names), and what the contract says of it. */
export class QueryDefect {
  constructor(
    readonly label: string,
    readonly expect: Expectation,
    readonly pairs: ReadonlyArray<readonly [string, string]>,
  ) {}

  /** The well-formed pairs with this defect's in place of those of the same names. */
  applyTo(wellFormed: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
    return [...wellFormed.filter(([name]) => !this.pairs.some(([own]) => own === name)), ...this.pairs];
  }

  [fc.toStringMethod](): string {
    return `${this.label}: ${fc.stringify(this.pairs)}`;
  }
}

/** Defects of a query string with `limit` and `cursor` (and one text filter `filter`). */
export function pageQueryDefect(filter: string): fc.Arbitrary<QueryDefect> {
  return fc.oneof(
    fc
      .constantFrom('0', '-1', '1.5', '1001', 'abc', '', '1,2')
      .map((limit) => new QueryDefect('limit not a page size', badRequest('VALIDATION_FAILED'), [['limit', limit]])),
    fc.constantFrom('1e1', '0x10', ' 5', '+5', '05').map((limit) => new QueryDefect('limit spelled oddly', either, [['limit', limit]])),
    fc
      .oneof(fc.constantFrom('garbage', '%%%', '!', 'x'.repeat(2049)), textBreakingTheRule())
      .map(
        (cursor) =>
          new QueryDefect('cursor not a cursor', badRequest('INVALID_CURSOR', 'INVALID_TEXT', 'VALIDATION_FAILED'), [['cursor', cursor]]),
      ),
    // Base64url JSON that may decode to a keyset position ('["x"]', '{}', deep arrays): a forged but
    // well-formed cursor may be taken as that position, or refused; it must never fail.
    fc
      .constantFrom('e30', 'WyJ4Il0', 'W1tbW1tbW1tbXV1dXV1dXV1d', 'WzEsMiwzXQ', 'bnVsbA', 'WyJcdTAwMDAiXQ')
      .map((cursor) => new QueryDefect('a forged cursor', either, [['cursor', cursor]])),
    fc.constantFrom('limit', filter).map(
      (name) =>
        new QueryDefect('a parameter given twice', badRequest('VALIDATION_FAILED'), [
          [name, '1'],
          [name, '2'],
        ]),
    ),
    fc
      .constantFrom(`${filter}[]`, `${filter}[a]`)
      .map((name) => new QueryDefect('a parameter in array or object syntax', badRequest('VALIDATION_FAILED'), [[name, 'x']])),
    fc
      .constantFrom('foo', '__proto__', 'constructor[prototype][polluted]', 'LIMIT')
      .map((name) => new QueryDefect('a parameter the API does not have', either, [[name, '1']])),
  );
}

// ---------------------------------------------------------------------------------------------
// Bodies: how a body goes on the wire, and the defects of bodies every route with one shares

/** A body as bytes, its content type, and what the service would act on should the gateway take it. */
export interface Wire {
  contentType?: string;
  bytes: Buffer;
  parsed: unknown;
}

export const UNPARSEABLE = Symbol('unparseable');

export function parsedFrom(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return UNPARSEABLE;
  }
}

export function asJson(body: unknown, contentType = 'application/json'): Wire {
  const text = jsonText(body);
  return { contentType, bytes: Buffer.from(text, 'utf8'), parsed: parsedFrom(text) };
}

export const raw = (text: string | Buffer, contentType = 'application/json'): Wire => ({
  contentType,
  bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
  parsed: UNPARSEABLE,
});

/** What a form post of the body's top-level members would be (what the gateway must not take as JSON). */
export function asForm(body: unknown): Wire {
  const form = new URLSearchParams();
  for (const [name, member] of Object.entries(typeof body === 'object' && body !== null ? body : { body })) {
    for (const item of Array.isArray(member) ? member : [member])
      form.append(name, typeof item === 'object' ? jsonText(item) : String(item));
  }
  return { contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(form.toString()), parsed: Object.fromEntries(form) };
}

/**
 * One defect of a body: a change of its value (`reshape`, e.g. a field of the wrong type) or of how it
 * goes on the wire (`encode`, e.g. a form post), with what the contract says of the result.
 */
export class BodyDefect {
  constructor(
    readonly label: string,
    readonly expect: Expectation,
    readonly detail: unknown = undefined,
    readonly reshape: (body: Record<string, unknown>) => unknown = (body) => body,
    readonly encode: (body: unknown) => Wire = (body) => asJson(body),
  ) {}

  wire(body: Record<string, unknown>): Wire {
    return this.encode(this.reshape(body));
  }

  [fc.toStringMethod](): string {
    return this.detail === undefined ? this.label : `${this.label}: ${fc.stringify(this.detail)}`;
  }
}

/** A member added to a body as an own property, `__proto__` included (a spread defines, it does not set). */
export function withMember(body: Record<string, unknown>, name: string, member: unknown): Record<string, unknown> {
  return { ...body, ...(JSON.parse(`{${JSON.stringify(name)}:${jsonText(member)}}`) as Record<string, unknown>) };
}

export function without(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = body;
  return rest;
}

/** Ways to make the JSON text of a body invalid. */
export const corruption = fc.oneof(
  fc.constantFrom(
    'truncated',
    'trailing comma',
    'single quotes',
    'comment',
    'raw control character',
    'bad escape',
    'empty',
    'trailing garbage',
    'lone surrogate escape unclosed',
  ),
  numberTextThatIsNotJson.map((number) => `number ${number}`),
);

export function corrupt(body: unknown, how: string): Wire {
  const text = jsonText(body);
  const open = text.slice(0, -1);
  const separator = text === '{}' ? '' : ',';
  switch (how) {
    case 'truncated':
      return raw(text.slice(0, Math.max(1, text.length - 1)));
    case 'trailing comma':
      return raw(`${open},}`);
    case 'single quotes':
      return raw(text.replace(/"/g, "'") === text ? `{'a':1}` : text.replace(/"/g, "'"));
    case 'comment':
      return raw(`/* fuzz */${text}`);
    case 'raw control character':
      return raw(`${open}${separator}"x":"a\u0001b"}`);
    case 'bad escape':
      return raw(`${open}${separator}"x":"\\x41"}`);
    case 'empty':
      return raw('');
    case 'trailing garbage':
      return raw(`${text}}`);
    case 'lone surrogate escape unclosed':
      return raw(`${open}${separator}"x":"\\ud800}`);
    default:
      return raw(`${open}${separator}"x":${how.replace('number ', '')}}`);
  }
}

/**
 * The defects of a body that every route with one shares: content types, nesting, malformed JSON,
 * another shape, unknown members, size. `deepen` puts deep nesting where the route's body nests (a
 * value, a key list...).
 */
export function sharedBodyDefects(
  deepen: (body: Record<string, unknown>, nested: RawJson) => unknown,
  options: { emptyIsValid?: boolean } = {},
): fc.Arbitrary<BodyDefect> {
  return fc.oneof(
    nonJsonMediaType.map(
      (contentType) =>
        new BodyDefect('content type not JSON', refused(415, 'UNSUPPORTED_MEDIA_TYPE'), contentType, undefined, (body) =>
          contentType === 'application/x-www-form-urlencoded' ? asForm(body) : { ...asJson(body), contentType },
        ),
    ),
    ambiguousMediaType.map(
      (contentType) =>
        new BodyDefect('content type JSON-like', either, contentType, undefined, (body) => ({ ...asJson(body), contentType })),
    ),
    fc.constant(
      new BodyDefect('no content type', refused([400, 415]), undefined, undefined, (body) => ({ ...asJson(body), contentType: undefined })),
    ),
    fc
      .tuple(excessiveDepth, fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('inside', 'around'))
      .map(
        ([depth, shape, where]) =>
          new BodyDefect(`nested deeper than 64 (${where} the body)`, badRequest(), { depth, shape }, (body) =>
            where === 'inside'
              ? deepen(body, nestedJson(depth, shape))
              : new RawJson(`${'['.repeat(depth)}${jsonText(body)}${']'.repeat(depth)}`, `«the body inside arrays ${depth} deep»`),
          ),
      ),
    corruption.map((how) => new BodyDefect('not JSON', badRequest('VALIDATION_FAILED'), how, undefined, (body) => corrupt(body, how))),
    fc
      .constantFrom('null', '"a"', '1', 'true', '[]', '[{}]', ...(options.emptyIsValid ? [] : ['{}']))
      .map((text) => new BodyDefect('not the documented shape', badRequest('VALIDATION_FAILED'), text, () => new RawJson(text))),
    fc
      .constantFrom('extra', 'Value', '__proto__', 'constructor', '')
      .map(
        (name) =>
          new BodyDefect('a member the API does not have', badRequest('VALIDATION_FAILED'), name, (body) =>
            withMember(body, name, { polluted: true }),
          ),
      ),
    fc.constant(
      new BodyDefect('body over KV_MAX_BODY_BYTES', refused(413, 'PAYLOAD_TOO_LARGE'), '300 KB', (body) => ({
        ...body,
        pad: 'p'.repeat(300_000),
      })),
    ),
    fc.constantFrom('byte order mark', 'a member twice (the last wins)', 'invalid UTF-8 in a string').map(
      (how) =>
        new BodyDefect('JSON the contract leaves open', either, how, undefined, (body) => {
          const text = jsonText(body);
          if (how === 'byte order mark') return { ...raw(`\ufeff${text}`), parsed: JSON.parse(text) };
          if (how === 'invalid UTF-8 in a string')
            return raw(
              Buffer.concat([
                Buffer.from(`${text.slice(0, -1)}${text === '{}' ? '' : ','}"x":"`),
                Buffer.from([0xff, 0xfe]),
                Buffer.from('"}'),
              ]),
            );
          const [first] = Object.keys(body as object);
          return first === undefined
            ? asJson(body)
            : {
                ...raw(`${text.slice(0, -1)},${JSON.stringify(first)}:${jsonText((body as Record<string, unknown>)[first])}}`),
                parsed: JSON.parse(text),
              };
        }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Reports: generated cases print with secret values withheld

/** A generated case, printed by fast-check with the values of secret namespaces withheld. */
export class Spec<T> {
  constructor(
    readonly data: T,
    readonly secret: boolean,
  ) {}

  [fc.toStringMethod](): string {
    return this.secret ? `${fc.stringify(redacted(this.data))} (values withheld: secret namespace)` : fc.stringify(this.data);
  }
}

export class Printed {
  constructor(readonly text: string) {}

  [fc.toStringMethod](): string {
    return this.text;
  }
}

export function redacted(data: unknown): unknown {
  if (data instanceof BodyDefect) return new Printed(data.label);
  if (data instanceof RawJson) return new Printed('«raw JSON withheld»');
  if (Array.isArray(data)) return data.map(redacted);
  if (typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, member]) => [
      key,
      /^(value|values|valuesByType|typed|write|writes|seed)$/.test(key) ? new Printed('<withheld>') : redacted(member),
    ]),
  );
}
