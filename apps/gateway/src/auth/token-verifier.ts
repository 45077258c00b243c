/**
 * Verifies a bearer JWT and turns it into a Principal. The algorithm list is pinned per key source
 * (HS256 for a shared secret, asymmetric only for a JWKS), so `alg: none` and algorithm confusion are
 * rejected before any key is used.
 */
import { Limits, isWellFormedText } from '@app/contracts';
import { Principal } from '@app/permissions';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import { isCanonicalCompactJws } from './compact-jws';

export interface TokenVerifierOptions {
  hs256Secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
  /** How long a verified token is taken on trust before it is verified again (never past its `exp`). */
  verifiedCacheMs?: number;
}

/**
 * A service sends the same token with every request, so a verified one is kept, sparing the JWT work (measured:
 * docs/benchmark.md). A token is verified again at least every minute and never used past its `exp`, so a signing key
 * dropped from the JWKS stops being honoured once jose's own cache of the key set (10 minutes) has let it go.
 */
export const VERIFIED_TOKEN_CACHE = { maxEntries: 10_000, maxAgeMs: 60_000 } as const;

/** A token was refused. The message is a short reason and never contains the token. */
export class TokenRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

const REASON_BY_JOSE_CODE: Record<string, string> = {
  [errors.JWTExpired.code]: 'token expired',
  [errors.JWSSignatureVerificationFailed.code]: 'bad signature',
  [errors.JOSEAlgNotAllowed.code]: 'algorithm not allowed',
  [errors.JWKSNoMatchingKey.code]: 'unknown signing key',
  [errors.JWKSTimeout.code]: 'signing keys unavailable',
  [errors.JWKSInvalid.code]: 'signing keys unavailable',
  // jose raises its generic error only when the JWKS endpoint answers badly.
  [errors.JOSEError.code]: 'signing keys unavailable',
};

function reasonFor(error: unknown): string {
  if (error instanceof TokenRejectedError) return error.message;
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === 'missing' ? `missing claim: ${error.claim}` : `invalid claim: ${error.claim}`;
  }
  if (error instanceof errors.JOSEError) return REASON_BY_JOSE_CODE[error.code] ?? 'malformed token';
  return 'token rejected';
}

// Claims travel in every message and audit record: they follow the text rule like any other input.
function isText(value: unknown): value is string {
  return typeof value === 'string' && isWellFormedText(value);
}

function isTextArray(value: unknown, maxItems: number): value is string[] {
  return Array.isArray(value) && value.length <= maxItems && value.every(isText);
}

function requireClaim(payload: JWTPayload, claim: string): unknown {
  if (payload[claim] === undefined) throw new TokenRejectedError(`missing claim: ${claim}`);
  return payload[claim];
}

function principalFrom(payload: JWTPayload): Principal {
  const sub = requireClaim(payload, 'sub');
  const permissions = requireClaim(payload, 'permissions');
  const apps = requireClaim(payload, 'apps');
  // Every message and audit record carries the id: one too long for them is refused here, not downstream.
  if (!isText(sub) || sub === '' || sub.length > Limits.MAX_PRINCIPAL_ID_LENGTH) throw new TokenRejectedError('invalid claim: sub');
  if (!isTextArray(permissions, Limits.MAX_PRINCIPAL_PERMISSIONS)) throw new TokenRejectedError('invalid claim: permissions');
  if (!isTextArray(apps, Limits.MAX_PRINCIPAL_APPLICATIONS)) throw new TokenRejectedError('invalid claim: apps');
  // Frozen: one principal serves every request that carries the same token.
  return Object.freeze({ id: sub, permissions: Object.freeze([...permissions]), applications: Object.freeze([...apps]) }) as Principal;
}

function cacheKeyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/** A verified token: who it names, and until when (epoch ms, its `exp`) it may be used; a watch ends then. */
export interface VerifiedToken {
  principal: Principal;
  expiresAt: number;
}

export class TokenVerifier {
  private readonly verifySignatureAndClaims: (token: string) => Promise<JWTPayload>;
  private readonly maxAgeMs: number;
  // Keyed by the token's SHA-256, so that the cache holds no usable token.
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKEN_CACHE.maxEntries });

  constructor(options: TokenVerifierOptions) {
    this.maxAgeMs = options.verifiedCacheMs ?? VERIFIED_TOKEN_CACHE.maxAgeMs;
    const { hs256Secret, jwksUrl } = options;
    if (Boolean(hs256Secret) === Boolean(jwksUrl)) {
      throw new Error('TokenVerifier needs exactly one of hs256Secret or jwksUrl');
    }
    const checks: JWTVerifyOptions = {
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['exp'],
    };
    if (jwksUrl) {
      const keySet = createRemoteJWKSet(new URL(jwksUrl));
      this.verifySignatureAndClaims = async (token) =>
        (await jwtVerify(token, keySet, { ...checks, algorithms: ['RS256', 'ES256'] })).payload;
    } else {
      const key = new TextEncoder().encode(hs256Secret);
      this.verifySignatureAndClaims = async (token) => (await jwtVerify(token, key, { ...checks, algorithms: ['HS256'] })).payload;
    }
  }

  /** Resolves to the token's Principal and expiry, or rejects with a TokenRejectedError. */
  async verify(token: string): Promise<VerifiedToken> {
    if (!isCanonicalCompactJws(token)) throw new TokenRejectedError('malformed token');
    const cacheKey = cacheKeyOf(token);
    const known = this.verified.get(cacheKey);
    if (known !== undefined) return known;
    let payload: JWTPayload;
    let principal: Principal;
    try {
      payload = await this.verifySignatureAndClaims(token);
      principal = principalFrom(payload);
    } catch (error) {
      throw new TokenRejectedError(reasonFor(error));
    }
    // `exp` is required by the checks above; past it (tolerance aside) the token is verified again, and refused.
    const verified = { principal, expiresAt: payload.exp! * 1000 };
    const ttl = Math.min(this.maxAgeMs, verified.expiresAt - Date.now());
    if (ttl >= 1) this.verified.set(cacheKey, verified, { ttl: Math.floor(ttl) });
    return verified;
  }
}
