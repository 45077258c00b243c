import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { RawJson, jsonText, nestedJson, textBreakingTheRule, wellFormedJsonObject, wellFormedText } from './hostile-arbitraries';

/**
 * Bearer tokens as an attacker would craft them: signed with the platform's real key (so that only
 * the gateway's own checks stand between them and the API), then odd in their claims or in their
 * spelling. Tokens are built by hand, not with jose, so that any byte can be put anywhere.
 */

/** What the contract says of a token: it must work, it must be 401 UNAUTHENTICATED, or it leaves it open. */
export type TokenVerdict = 'accepted' | 'refused' | 'either';

/** A plan for one token, built against the platform's key and clock when the request is sent. */
export interface TokenPlan {
  /** What makes the token odd, for the report. */
  label: string;
  verdict: TokenVerdict;
  header: unknown;
  /** The claims; `exp`, `nbf` and `iat` given as offsets from now are resolved by `craft`. */
  claims: unknown;
  signature: 'good' | 'other-key' | 'empty' | 'truncated';
  /** A non-canonical spelling of one part: never allowed (issue 17, item 6). */
  spelling: 'canonical' | 'padded' | 'standard-alphabet' | 'unused-bits-flipped';
  /** A `sub` written before the claims' own, so that the claims hold it twice (JSON.parse keeps the last). */
  earlierSub?: string;
}

/** A time claim relative to the moment the token is crafted. */
export class SecondsFromNow {
  constructor(readonly offset: number) {}

  [fc.toStringMethod](): string {
    return `now${this.offset >= 0 ? '+' : ''}${this.offset}s`;
  }
}

const ALL = ['*'];

/** The claims of a token that must work, around the parts a property varies. */
function claimsOf(overrides: Record<string, unknown>): Record<string, unknown> {
  return { sub: 'fuzz-token-user', permissions: ALL, apps: ALL, iat: new SecondsFromNow(0), exp: new SecondsFromNow(3600), ...overrides };
}

const GOOD_HEADER = { alg: 'HS256', typ: 'JWT' };

function plan(label: string, verdict: TokenVerdict, claims: unknown, extra: Partial<TokenPlan> = {}): TokenPlan {
  return { label, verdict, header: GOOD_HEADER, claims, signature: 'good', spelling: 'canonical', ...extra };
}

/** A principal id the contract allows: non-empty, at most 256 code units, the text rule kept; no controls. */
const wellFormedSubject: fc.Arbitrary<string> = wellFormedText({ minLength: 1, maxLength: 40 })
  .map((text) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ''))
  .filter((text) => text.trim().length > 0 && text.length <= 256);

/** Tokens that follow the contract in every respect and must be accepted. */
const acceptedToken: fc.Arbitrary<TokenPlan> = fc
  .record({
    sub: wellFormedSubject,
    exp: fc.integer({ min: 60, max: 10 * 365 * 24 * 3600 }),
    extra: fc.option(wellFormedJsonObject(2), { nil: undefined }),
    header: fc.constantFrom<unknown>(GOOD_HEADER, { alg: 'HS256' }, { typ: 'JWT', alg: 'HS256', kid: 'k1' }),
  })
  .map(({ sub, exp, extra, header }) =>
    plan('well-formed', 'accepted', { ...extra, ...claimsOf({ sub, exp: new SecondsFromNow(exp) }) }, { header }),
  );

/** Claims the text rule or the claim types forbid: 401 UNAUTHENTICATED. */
const tokenWithHostileClaims: fc.Arbitrary<TokenPlan> = fc.oneof(
  textBreakingTheRule().map((sub) => plan('sub breaks the text rule', 'refused', claimsOf({ sub }))),
  textBreakingTheRule().map((permission) =>
    plan('a permission breaks the text rule', 'refused', claimsOf({ permissions: ['*', permission] })),
  ),
  textBreakingTheRule().map((app) => plan('an app breaks the text rule', 'refused', claimsOf({ apps: [app, '*'] }))),
  textBreakingTheRule().map((sub) =>
    plan('duplicate sub, the last breaking the text rule', 'refused', claimsOf({ sub }), { earlierSub: 'ok' }),
  ),
  fc
    .constantFrom<unknown>('', 7, 1.5, null, true, ['a'], { id: 'a' })
    .map((sub) => plan('sub of the wrong type or empty', 'refused', claimsOf({ sub }))),
  fc.integer({ min: 257, max: 400 }).map((length) => plan('sub over 256 characters', 'refused', claimsOf({ sub: 's'.repeat(length) }))),
  fc
    .constantFrom<unknown>('*', [1], [null], { '*': true }, null, [['*']])
    .map((permissions) => plan('permissions not an array of strings', 'refused', claimsOf({ permissions }))),
  fc.constantFrom<unknown>('*', [1], [null], {}, null).map((apps) => plan('apps not an array of strings', 'refused', claimsOf({ apps }))),
  fc
    .constantFrom<unknown>(undefined, new SecondsFromNow(-120), '9999999999', null, [new SecondsFromNow(3600)])
    .map((exp) => plan('exp missing, past or not a number', 'refused', claimsOf({ exp }))),
  fc.constant(plan('nbf in the future', 'refused', claimsOf({ nbf: new SecondsFromNow(3600) }))),
  fc.constantFrom<unknown>(['a'], 'claims', 42, null).map((claims) => plan('claims not an object', 'refused', claims)),
  fc.constantFrom('{"sub":', '{"sub":"a",}', "{'sub':'a'}", '').map((text) => plan('claims not JSON', 'refused', new RawJson(text))),
);

/** Odd headers and signatures: 401 UNAUTHENTICATED. */
const tokenWithHostileHeaderOrSignature: fc.Arbitrary<TokenPlan> = fc.oneof(
  fc
    .constantFrom<unknown>(
      { alg: 'none', typ: 'JWT' },
      { alg: 'HS512' },
      { alg: 'RS256' },
      { alg: 'hs256' },
      { typ: 'JWT' },
      { alg: 'HS256', crit: ['exp'] },
      { alg: 'HS256', b64: false, crit: ['b64'] },
      [],
      'HS256',
    )
    .map((header) => plan('header not HS256', 'refused', claimsOf({}), { header })),
  fc.constantFrom('{"alg":', '', 'null').map((text) => plan('header not JSON', 'refused', claimsOf({}), { header: new RawJson(text) })),
  fc
    .constantFrom<TokenPlan['signature']>('other-key', 'empty', 'truncated')
    .map((signature) => plan(`signature ${signature}`, 'refused', claimsOf({}), { signature })),
);

/** The same good token spelled otherwise: only canonical base64url is allowed (issue 17, item 6). */
const tokenSpelledOtherwise: fc.Arbitrary<TokenPlan> = fc
  .constantFrom<TokenPlan['spelling']>('padded', 'standard-alphabet', 'unused-bits-flipped')
  .map((spelling) => plan(`spelled ${spelling}`, 'refused', claimsOf({}), { spelling }));

/** What the contract leaves open: a gateway may take these or refuse them with 401, never fail on them. */
const tokenTheContractLeavesOpen: fc.Arbitrary<TokenPlan> = fc.oneof(
  wellFormedText({ minLength: 1, maxLength: 6 }).map((text) =>
    plan('sub with control characters', 'either', claimsOf({ sub: `ctl\u0001${text}\u001f` })),
  ),
  fc
    .constantFrom(' ', '\u200b', 'anonymous', '\u202eevil', 'x'.repeat(256))
    .map((sub) => plan('odd but text-rule-valid sub', 'either', claimsOf({ sub }))),
  fc
    .constantFrom<unknown>(new RawJson('1e400'), 1e20, new SecondsFromNow(3600.5))
    .map((exp) => plan('exp fractional or far away', 'either', claimsOf({ exp }))),
  fc.constant(plan('iat in the future', 'either', claimsOf({ iat: new SecondsFromNow(86_400) }))),
  textBreakingTheRule().map((text) => plan('an unused claim breaks the text rule', 'either', claimsOf({ note: text }))),
  fc.constantFrom(1500, 3000).map((depth) => plan('an unused claim nested deep', 'either', claimsOf({ deep: nestedJson(depth, 'array') }))),
  fc
    .constantFrom<unknown>({ alg: 'HS256', kid: 'a\u0000b' }, { alg: 'HS256', typ: 'at+jwt' }, { alg: 'HS256', x: { y: [1, 2] } })
    .map((header) => plan('odd header parameters', 'either', claimsOf({}), { header })),
  fc.integer({ min: 2000, max: 6000 }).map((size) => plan('large token', 'either', claimsOf({ pad: 'p'.repeat(size) }))),
);

/** Every kind of token the token property sends, the well-formed ones about a third of the time. */
export const tokenPlan: fc.Arbitrary<TokenPlan> = fc.oneof(
  { weight: 5, arbitrary: acceptedToken },
  { weight: 4, arbitrary: tokenWithHostileClaims },
  { weight: 2, arbitrary: tokenWithHostileHeaderOrSignature },
  { weight: 2, arbitrary: tokenSpelledOtherwise },
  { weight: 3, arbitrary: tokenTheContractLeavesOpen },
);

/** How the token reaches the gateway; some spellings of the scheme are the client's choice, others are not a bearer token. */
export interface Presentation {
  label: string;
  verdict: TokenVerdict;
  /** The Authorization header for a token, or undefined for none. */
  header: (token: string) => string | undefined;
  /** A query string carrying the token instead, if any. */
  query?: (token: string) => string;
}

export const presentation: fc.Arbitrary<Presentation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Presentation>({ label: 'Bearer', verdict: 'accepted', header: (token) => `Bearer ${token}` }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Presentation>(
      { label: 'lower-case scheme', verdict: 'either', header: (token) => `bearer ${token}` },
      { label: 'upper-case scheme', verdict: 'either', header: (token) => `BEARER ${token}` },
      { label: 'two spaces', verdict: 'either', header: (token) => `Bearer  ${token}` },
      { label: 'tab', verdict: 'either', header: (token) => `Bearer\t${token}` },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Presentation>(
      { label: 'Basic scheme', verdict: 'refused', header: (token) => `Basic ${token}` },
      { label: 'no scheme', verdict: 'refused', header: (token) => token },
      { label: 'scheme only', verdict: 'refused', header: () => 'Bearer' },
      { label: 'two tokens', verdict: 'refused', header: (token) => `Bearer ${token} ${token}` },
      { label: 'in the query string only', verdict: 'refused', header: () => undefined, query: (token) => `access_token=${token}` },
    ),
  },
);

/** The verdict of a token presented a certain way: refused if either part is, accepted only if both are. */
export function verdictOf(token: TokenPlan, shown: Presentation): TokenVerdict {
  if (token.verdict === 'refused' || shown.verdict === 'refused') return 'refused';
  return token.verdict === 'accepted' && shown.verdict === 'accepted' ? 'accepted' : 'either';
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function resolveTimes(value: unknown, now: number): unknown {
  if (value instanceof SecondsFromNow) return now + value.offset;
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => resolveTimes(item, now));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveTimes(item, now)]));
}

function encodePart(value: unknown, now: number, earlierSub?: string): string {
  let text = jsonText(resolveTimes(value, now));
  if (earlierSub !== undefined && text.startsWith('{')) text = `{"sub":${JSON.stringify(earlierSub)},${text.slice(1)}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Respells one base64url part; a part the spelling cannot change is left as it is (then it is canonical). */
function respell(part: string, spelling: TokenPlan['spelling']): string {
  switch (spelling) {
    case 'canonical':
      return part;
    case 'padded':
      return part.length % 4 === 0 ? part : part + '='.repeat(4 - (part.length % 4));
    case 'standard-alphabet':
      return part.replace(/-/g, '+').replace(/_/g, '/');
    case 'unused-bits-flipped': {
      // 2 leftover characters carry 4 unused bits, 3 carry 2: flip the lowest, which no decoder reads.
      if (part.length % 4 === 0 || part.length % 4 === 1) return part;
      const last = BASE64URL.indexOf(part[part.length - 1]);
      return part.slice(0, -1) + BASE64URL[last ^ 1];
    }
  }
}

/** The token a plan describes, signed HS256 with `secret` (UTF-8 bytes, as the gateway uses it). */
export function craftToken(token: TokenPlan, secret: string, now = Math.floor(Date.now() / 1000)): string {
  const header = encodePart(token.header, now);
  const claims = encodePart(token.claims, now, token.earlierSub);
  const signingInput = `${header}.${claims}`;
  const key = token.signature === 'other-key' ? `${secret}-but-not-quite` : secret;
  let signature = createHmac('sha256', key).update(signingInput).digest('base64url');
  if (token.signature === 'empty') signature = '';
  if (token.signature === 'truncated') signature = signature.slice(0, 20);
  if (token.spelling === 'canonical') return `${signingInput}.${signature}`;
  // Respell the signature (43 characters: padding and unused bits apply), else the first part that changes.
  const parts = [signature, claims, header].map((part) => respell(part, token.spelling));
  const [spelledSignature, spelledClaims, spelledHeader] = parts;
  if (spelledSignature !== signature) return [header, claims, spelledSignature].join('.');
  if (spelledClaims !== claims) return [header, spelledClaims, signature].join('.');
  if (spelledHeader !== header) return [spelledHeader, claims, signature].join('.');
  // No "-" or "_" anywhere (rare): pad the signature instead, which is always 43 characters.
  return [header, claims, respell(signature, 'padded')].join('.');
}
