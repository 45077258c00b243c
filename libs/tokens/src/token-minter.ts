/** Issues HS256 access tokens in the shape TokenVerifier accepts; used by `npm run token` and local tooling. */
import { SignJWT } from 'jose';

export interface MintTokenOptions {
  secret: string;
  sub: string;
  permissions: string[];
  apps: string[];
  ttlSeconds: number;
  issuer?: string;
  audience?: string;
}

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export async function mintToken(options: MintTokenOptions): Promise<string> {
  if (!options.secret) throw new Error('mintToken: secret is required');
  if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
    throw new Error('mintToken: ttlSeconds must be a positive whole number');
  }
  const jwt = new SignJWT({ permissions: options.permissions, apps: options.apps })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds}s`);
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}

/** `'45s'`, `'30m'`, `'1h'`, `'7d'` or bare seconds (`'3600'`) → seconds. Only positive whole durations (it is a TTL). */
export function parseDuration(input: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(input);
  const seconds = match ? Number(match[1]) * SECONDS_PER_UNIT[match[2] || 's'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new Error(
      `invalid duration '${input}': use a positive number of seconds, or a number followed by s, m, h or d (e.g. 30m, 1h, 7d)`,
    );
  }
  return seconds;
}
