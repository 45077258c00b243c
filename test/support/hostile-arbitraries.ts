import fc from 'fast-check';

/**
 * What an attacker (or a careless client) sends, each with a well-formed counterpart, since the suite must also prove that
 * what the contract allows is accepted. The oracles (`breaksTextRule`, `keyPathDefect`...) ignore libs/contracts on
 * purpose: a suite that asked the code under test what is valid would agree with its bugs.
 */

// ---------------------------------------------------------------------------------------------
// Alphabets

/** What breaks the text rule of issue 17: U+0000 and UTF-16 surrogates without their other half. */
export const TEXT_RULE_BREAKERS = {
  nul: '\u0000',
  loneHighSurrogate: '\ud800',
  loneHighSurrogateMax: '\udbff',
  loneLowSurrogate: '\udc00',
  loneLowSurrogateMax: '\udfff',
  /** A low then a high surrogate: two code units that look like a pair and are not. */
  reversedPair: '\udc00\ud800',
} as const;

/** C0 controls but NUL, DEL and C1 controls: allowed in free text, refused in key paths. */
const CONTROL_CHARACTERS = [
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\u000b',
  '\f',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
];

/** Text-rule-valid characters that have fooled parsers, terminals and databases. */
const TRICKY_CHARACTERS = [
  // bidi controls (RLO, LRE, RLE, PDF, LRO, isolates, marks)
  '\u202e',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  // zero-width and BOM
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  // line and paragraph separators (invalid in JavaScript string literals before ES2019)
  '\u2028',
  '\u2029',
  // non-characters, the replacement character, the last code point
  '\ufffe',
  '\uffff',
  '\ufffd',
  '\u{10ffff}',
  // astral characters: valid surrogate pairs
  '\u{1f600}',
  '\u{1d11e}',
  '\u{20000}',
  // combining marks, on their own and after a letter
  '\u0301',
  'e\u0301',
  '\u0300\u0300\u0300',
  // look-alikes of "/" and "."
  '\u2215',
  '\uff0f',
  '\u2044',
  '\uff0e',
  '\u2024',
  // characters with a meaning in URLs, SQL LIKE, JSON and shells
  '%',
  '%2F',
  '%00',
  '%25',
  '_',
  '\\',
  '"',
  "'",
  '`',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  '*',
  '$',
  '{',
  '}',
  '<',
  '>',
  ' ',
  '@',
  ':',
  '~',
  '|',
  '!',
  // letters of other scripts
  'ß',
  'İ',
  'ﬁ',
  'Ω',
  'д',
  '中',
  'ह',
  'ت',
] as const;

/** One code point or short sequence that follows the text rule; weighted towards the tricky ones. */
const wellFormedTextUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_CHARACTERS) },
  { weight: 1, arbitrary: fc.constantFrom(...CONTROL_CHARACTERS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** As above, but nothing a key path may not hold (controls). */
const keySafeUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_CHARACTERS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

// ---------------------------------------------------------------------------------------------
// Oracles

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const KEY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether a string breaks the text rule (holds U+0000 or a lone surrogate). */
export function breaksTextRule(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** Which part of the text rule a string breaks, for reports (NUL first: it is the unambiguous one). */
export function breakerKind(text: string): 'NUL' | 'a lone surrogate' {
  return text.includes('\u0000') ? 'NUL' : 'a lone surrogate';
}

/** Whether every string of a JSON value, object keys included, follows the text rule. */
export function jsonBreaksTextRule(value: unknown): boolean {
  if (typeof value === 'string') return breaksTextRule(value);
  if (Array.isArray(value)) return value.some(jsonBreaksTextRule);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, child]) => breaksTextRule(key) || jsonBreaksTextRule(child));
  }
  return false;
}

export const MAX_KEY_BYTES = 512;

/** Why a key path is not one the README allows, or null. (The README's rules, restated.) */
export function keyPathDefect(key: string): string | null {
  if (key.length === 0) return 'empty';
  if (breaksTextRule(key)) return 'breaks the text rule';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return 'over 512 bytes';
  if (KEY_CONTROL.test(key)) return 'control character';
  if (key.startsWith('/') || key.endsWith('/')) return 'leading or trailing "/"';
  const segments = key.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return 'empty, "." or ".." segment';
  if (segments.length > 1 && segments[segments.length - 1] === 'versions') return 'ends with /versions';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Free text that follows the text rule: controls, bidi marks, astral characters and all. */
export function wellFormedText(constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  const { minLength = 0, maxLength = 24 } = constraints;
  return fc.array(wellFormedTextUnit, { minLength, maxLength }).map((units) => units.join(''));
}

/** Where in a string the text-rule breaker sits, and which one it is. */
export interface TextRuleBreak {
  breaker: keyof typeof TEXT_RULE_BREAKERS;
  text: string;
}

/** Text that holds at least one NUL or lone surrogate, anywhere (start, middle, end). */
export function textBreakingTheRule(around: fc.Arbitrary<string> = wellFormedText({ maxLength: 8 })): fc.Arbitrary<string> {
  return fc
    .tuple(around, fc.constantFrom(...(Object.keys(TEXT_RULE_BREAKERS) as Array<keyof typeof TEXT_RULE_BREAKERS>)), around)
    .map(([before, breaker, after]) => {
      // A low surrogate right after `before`'s last high surrogate would pair up: keep them apart.
      const glue = /[\ud800-\udbff]$/.test(before) || /^[\udc00-\udfff]/.test(after) ? 'x' : '';
      return `${before}${glue}${TEXT_RULE_BREAKERS[breaker]}${glue}${after}`;
    })
    .filter(breaksTextRule);
}

// ---------------------------------------------------------------------------------------------
// Key paths

const keySegment: fc.Arbitrary<string> = fc
  .array(keySafeUnit, { minLength: 1, maxLength: 10 })
  .map((units) => units.join('').replace(/\//g, '-'))
  .filter((segment) => segment !== '.' && segment !== '..' && segment.length > 0);

/** A key the README allows: 1-4 segments of tricky-but-legal characters, at most 512 bytes. */
export const wellFormedKeyPath: fc.Arbitrary<string> = fc
  .array(keySegment, { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'))
  .filter((key) => keyPathDefect(key) === null);

/** A key the README refuses, with the rule it breaks; every one of these is INVALID_KEY. */
export interface HostileKey {
  defect: string;
  key: string;
}

export const hostileKeyPath: fc.Arbitrary<HostileKey> = fc.oneof(
  textBreakingTheRule(fc.constantFrom('', 'a', 'cfg/')).map((key) => ({ defect: `holds ${breakerKind(key)}`, key })),
  fc
    .tuple(fc.constantFrom(...CONTROL_CHARACTERS), fc.constantFrom('', 'a', 'x/y'))
    .map(([control, around]) => ({ defect: 'control character', key: `${around}${control}z` })),
  fc
    .constantFrom('a//b', '/a', 'a/', '.', '..', 'a/./b', 'a/../b', 'config/versions', 'a/b/versions')
    .map((key) => ({ defect: 'path shape', key })),
  fc.integer({ min: 513, max: 600 }).map((length) => ({ defect: 'over 512 bytes', key: 'k'.repeat(length) })),
  // 171 three-byte characters: 171 code units, 513 bytes, so a check of length instead of bytes passes it.
  fc.constant({ defect: 'over 512 bytes (multi-byte)', key: '中'.repeat(171) }),
);

// ---------------------------------------------------------------------------------------------
// Percent-encoding, done by hand so that lone surrogates can be sent too

/** UTF-8, except that a lone surrogate becomes its three WTF-8 bytes (what a sloppy client would send). */
export function wtf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      bytes.push(...Buffer.from(text.slice(i, i + 2), 'utf8'));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return bytes;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes everything but RFC 3986's unreserved characters (a "/" too: pass segments). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of wtf8Bytes(text)) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** A key path as it goes in a URL: each segment percent-encoded, the separators kept. */
export function keyInUrl(key: string): string {
  return key.split('/').map(percentEncode).join('/');
}

/** A query string from ordered pairs (a name may repeat), every name and value percent-encoded. */
export function queryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&')}`;
}

// ---------------------------------------------------------------------------------------------
// JSON: values, raw text, numbers, nesting

/** JSON text sent verbatim: numbers JSON.stringify cannot write (1e400), duplicate keys, `__proto__`... */
export class RawJson {
  constructor(
    readonly text: string,
    readonly summary?: string,
  ) {}

  [fc.toStringMethod](): string {
    return this.summary ?? (this.text.length > 160 ? `«${this.text.slice(0, 80)}…(${this.text.length} chars)»` : `«${this.text}»`);
  }
}

/** Serialises a value whose parts may be RawJson (spliced verbatim). JSON.stringify escapes lone surrogates as \udXXX. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : jsonText(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${jsonText(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Object keys a JSON parser guarding against prototype pollution may refuse: never in well-formed values. */
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const jsonKey: fc.Arbitrary<string> = wellFormedText({ maxLength: 8 }).filter((key) => !POLLUTING_KEYS.has(key));

/** Finite numbers, biased to the edges: huge, tiny, fractional, negative, the safe-integer bounds. */
export const wellFormedNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    0.1,
    0.5,
    1e-7,
    1e21,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    5e-324,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    2 ** 53 + 2,
  ),
);

/** A JSON value (never a top-level null) of well-formed text, at most `maxDepth` levels deep. */
export function wellFormedJson(maxDepth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth },
      fc.boolean(),
      wellFormedNumber,
      wellFormedText(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc
        .uniqueArray(fc.tuple(jsonKey, tie('value')), { maxLength: 4, selector: ([key]) => key })
        .map((entries) => Object.fromEntries(entries)),
    ),
  }));
  return value.filter((json) => json !== null);
}

/** A JSON object of well-formed text (metadata's shape). */
export function wellFormedJsonObject(maxDepth = 3): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .uniqueArray(fc.tuple(jsonKey, wellFormedJson(maxDepth - 1)), { maxLength: 5, selector: ([key]) => key })
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
}

/** A JSON value with a text-rule breaker somewhere inside (a string, or an object key), at a depth of 0-3. */
export const jsonBreakingTheRule: fc.Arbitrary<unknown> = fc
  .tuple(textBreakingTheRule(), fc.constantFrom('string', 'key', 'in-array', 'deep'))
  .map(([text, where]) => {
    switch (where) {
      case 'string':
        return { note: text };
      case 'key':
        return { [text]: 1 };
      case 'in-array':
        return ['ok', text];
      default:
        return { a: [{ b: { c: text } }] };
    }
  });

/** Nested arrays or objects `depth` levels deep, as raw text (fast-check never builds nor shrinks the tree). */
export function nestedJson(depth: number, shape: 'array' | 'object'): RawJson {
  const text = shape === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return new RawJson(text, `«${shape}s nested ${depth} deep»`);
}

/** The depth the contract allows a body, counted from its root (issue 17: deeper than 64 is refused). */
export const MAX_BODY_DEPTH = 64;

/** Depths well beyond the limit, up to the ~1,500 that overflowed the validation pipe's stack. */
export const excessiveDepth: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 70, max: 200 }), fc.integer({ min: 1000, max: 2000 }));

/** Numbers as JSON text, each with what a field that takes an integer should make of it. */
export const hostileNumberText: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    '1e400',
    '-1e400',
    '1E999',
    '0.5',
    '1.0000001',
    '-1',
    '-0',
    '2147483648',
    '1e21',
    '123456789012345678901234567890',
    '4.9e-324',
  )
  .map((text) => new RawJson(text));

/** Numbers whose text is not JSON at all: the body is malformed. */
export const numberTextThatIsNotJson: fc.Arbitrary<string> = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '01',
  '.5',
  '1.',
  '+1',
  '1e',
  '--1',
);

// ---------------------------------------------------------------------------------------------
// Values by type: well-formed ones, and ones that do not match their declared type

export const VALUE_TYPES = ['STRING', 'JSON', 'NUMBER', 'BOOLEAN', 'BINARY', 'DATETIME', 'DATE', 'DURATION'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A calendar date of years 0000-9999 (ISO 8601's four-digit years), leap days included. */
const calendarDate: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([year, month, day]) => {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(day, days), 2)}`;
  });

const instant: fc.Arbitrary<string> = fc
  .tuple(
    calendarDate,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 999_999_999 }), { nil: undefined }),
    fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  )
  .map(
    ([date, h, m, s, fraction, zone]) =>
      `${date}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${fraction === undefined ? '' : `.${pad(fraction, 9).replace(/0+$/, '') || '0'}`}${zone}`,
  );

const duration: fc.Arbitrary<string> = fc
  .record(
    {
      Y: fc.nat(99),
      M: fc.nat(99),
      W: fc.nat(9),
      D: fc.nat(99),
      H: fc.nat(99),
      Mi: fc.nat(99),
      S: fc.oneof(
        fc.nat(99).map(String),
        fc.tuple(fc.nat(99), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
      ),
    },
    { requiredKeys: [] },
  )
  .map((parts) => {
    const date = `${parts.Y === undefined ? '' : `${parts.Y}Y`}${parts.M === undefined ? '' : `${parts.M}M`}${parts.W === undefined ? '' : `${parts.W}W`}${parts.D === undefined ? '' : `${parts.D}D`}`;
    const time = `${parts.H === undefined ? '' : `${parts.H}H`}${parts.Mi === undefined ? '' : `${parts.Mi}M`}${parts.S === undefined ? '' : `${parts.S}S`}`;
    const text = `P${date}${time ? `T${time}` : ''}`;
    return text === 'P' ? 'PT0S' : text;
  });

/** A value of each type as the README describes it; together they cover every type's edges. */
export const wellFormedValueOf: { [T in ValueType]: fc.Arbitrary<unknown> } = {
  STRING: fc.oneof(
    { weight: 6, arbitrary: wellFormedText({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 30_000 }).map((n) => 'x'.repeat(n)) },
  ),
  JSON: fc.oneof(
    { weight: 6, arbitrary: wellFormedJson() },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 50 }).map((depth) => JSON.parse(nestedJson(depth, 'array').text)) },
  ),
  NUMBER: wellFormedNumber,
  BOOLEAN: fc.boolean(),
  BINARY: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  DATETIME: instant,
  DATE: calendarDate,
  DURATION: duration,
};

/** A well-formed typed value: the type, and a value of it. */
export const wellFormedTypedValue: fc.Arbitrary<{ valueType: ValueType; value: unknown }> = fc
  .constantFrom(...VALUE_TYPES)
  .chain((valueType) => wellFormedValueOf[valueType].map((value) => ({ valueType, value })));

/** Values that do not match their declared type (INVALID_VALUE), for each type. */
export const mismatchedTypedValue: fc.Arbitrary<{ valueType: ValueType; value: unknown }> = fc.oneof(
  fc.constantFrom<unknown>(12, true, ['a'], { a: 1 }).map((value) => ({ valueType: 'STRING' as const, value })),
  fc
    .constantFrom<unknown>('42', true, [1], { n: 1 }, '', new RawJson('1e400'), new RawJson('-1e400'))
    .map((value) => ({ valueType: 'NUMBER' as const, value })),
  fc.constantFrom<unknown>('true', 1, 0, 'false', []).map((value) => ({ valueType: 'BOOLEAN' as const, value })),
  fc.constantFrom<unknown>('not base64!', 'AAA', 'A===', 'QUJD\n', 'QUJD-_', 7).map((value) => ({ valueType: 'BINARY' as const, value })),
  fc
    .constantFrom<unknown>(
      '2024-05-01 12:00',
      '2024-05-01T12:00:00',
      '2024-13-01T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-05-01T24:00:00Z',
      '2024-05-01T12:00:00+24:00',
      1714564800,
    )
    .map((value) => ({ valueType: 'DATETIME' as const, value })),
  fc
    .constantFrom<unknown>('2023-02-29', '2024-00-10', '2024-1-1', '20240101', '2024-02-30', '१९९९-०१-०१')
    .map((value) => ({ valueType: 'DATE' as const, value })),
  fc.constantFrom<unknown>('5 minutes', 'P', 'PT', 'P1H', 'T1S', '-PT1S', 30).map((value) => ({ valueType: 'DURATION' as const, value })),
);

// ---------------------------------------------------------------------------------------------
// Media types

/** Spellings of application/json the contract accepts. */
export const jsonMediaType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
);

/** Media types the contract refuses with 415 UNSUPPORTED_MEDIA_TYPE (the body is sent as they say, when they can carry it). */
export const nonJsonMediaType = fc.constantFrom(
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'text/xml',
  'text/json',
  'application/octet-stream',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/jsonx',
  'text/html',
  'image/png',
);

/** Media types the contract says nothing precise about: only the invariants apply. */
export const ambiguousMediaType = fc.constantFrom(
  'APPLICATION/JSON',
  'Application/Json',
  'application/json; charset=latin1',
  'application/json; foo=bar',
  'application/json, text/plain',
);

// ---------------------------------------------------------------------------------------------
// Headers that must change nothing

/** A header value as the bytes of UTF-8 text, written as a latin1 string (what node:http puts on the wire). */
export function headerBytes(text: string): string {
  return Buffer.from(wtf8Bytes(text)).toString('latin1');
}

/** Without the bytes no HTTP client may put in a header (C0 controls but tab, and DEL). */
export function headerSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's x-request-id: a sane one (echoed back) or a malformed one (replaced by a fresh one, never refused). */
export const requestIdHeader: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
  fc.constantFrom('', ' ', 'a b', 'x'.repeat(129), '../../etc/passwd', '<script>', 'id;drop table', 'ü-id').map(headerBytes),
  wellFormedText({ minLength: 1, maxLength: 12 }).map((text) => headerBytes(headerSafe(text))),
);

/** Extra headers a request may carry that change nothing about its outcome: unknown names, odd bytes. */
export const harmlessHeaders: fc.Arbitrary<Record<string, string>> = fc
  .uniqueArray(
    fc.tuple(
      fc.stringMatching(/^x-fuzz-[a-z0-9-]{1,12}$/),
      wellFormedText({ maxLength: 30 }).map((text) => headerBytes(headerSafe(text))),
    ),
    { maxLength: 3, selector: ([name]) => name },
  )
  .chain((pairs) =>
    fc.option(requestIdHeader, { nil: undefined }).map((requestId) => ({
      ...Object.fromEntries(pairs),
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    })),
  );
