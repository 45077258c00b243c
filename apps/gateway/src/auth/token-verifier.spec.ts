import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import { mintToken } from '@app/tokens';
import { TokenRejectedError, TokenVerifier } from './token-verifier';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long';
const CLAIMS = { sub: 'user-1', permissions: ['kv-entry:read'], apps: ['app-1'] };
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

function signHs256(payload: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

function signRs256(payload: JWTPayload, privateKey: KeyLike, kid: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
}

/** An unsigned token, as an attacker would hand-craft it. */
/** `alg: none`; with a made-up signature so that it is well-formed and reaches the algorithm check. */
function unsignedToken(payload: JWTPayload, signature = 'AAAA'): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.${signature}`;
}

async function rejectionOf(verifier: TokenVerifier, token: string): Promise<TokenRejectedError> {
  const error: unknown = await verifier.verify(token).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof TokenRejectedError)) throw new Error(`expected a TokenRejectedError, got ${String(error)}`);
  return error;
}

describe('TokenVerifier', () => {
  it('needs exactly one key source', () => {
    expect(() => new TokenVerifier({})).toThrow();
    expect(() => new TokenVerifier({ hs256Secret: SECRET, jwksUrl: 'http://127.0.0.1/jwks' })).toThrow();
  });

  describe('with an HS256 secret', () => {
    const verifier = new TokenVerifier({ hs256Secret: SECRET, issuer: 'kv-test', audience: 'kv-gateway' });
    const valid = (extra: JWTPayload = {}) => ({ ...CLAIMS, iss: 'kv-test', aud: 'kv-gateway', exp: inOneHour(), ...extra });

    it('accepts a valid token and maps it to a principal', async () => {
      await expect(verifier.verify(await signHs256(valid())).then(({ principal }) => principal)).resolves.toEqual({
        id: 'user-1',
        permissions: ['kv-entry:read'],
        applications: ['app-1'],
      });
    });

    it('rejects an expired token', async () => {
      const token = await signHs256(valid({ exp: Math.floor(Date.now() / 1000) - 60 }));
      expect((await rejectionOf(verifier, token)).message).toBe('token expired');
    });

    it('rejects a subject too long to travel in messages and audit records', async () => {
      const token = await signHs256(valid({ sub: 'x'.repeat(257) }));
      expect((await rejectionOf(verifier, token)).message).toBe('invalid claim: sub');
      await expect(
        verifier.verify(await signHs256(valid({ sub: 'x'.repeat(256) }))).then(({ principal }) => principal),
      ).resolves.toMatchObject({ id: 'x'.repeat(256) });
    });

    it('rejects a token signed with another secret', async () => {
      const token = await signHs256(valid(), 'another-secret-that-is-also-32-bytes-long');
      expect((await rejectionOf(verifier, token)).message).toBe('bad signature');
    });

    it("rejects an unsigned 'alg: none' token", async () => {
      expect((await rejectionOf(verifier, unsignedToken(valid()))).message).toBe('algorithm not allowed');
      expect((await rejectionOf(verifier, unsignedToken(valid(), ''))).message).toBe('malformed token');
    });

    it('accepts a token in its one canonical spelling only', async () => {
      const token = await signHs256(valid());
      await expect(verifier.verify(token).then(({ principal }) => principal)).resolves.toMatchObject({ id: CLAIMS.sub });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const standardAlphabet = Buffer.from(signature, 'base64url').toString('base64').replace(/=+$/, '');
      const flipped = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const lowBitsSet = signature.slice(0, -1) + flipped[flipped.indexOf(signature.at(-1)!) | 1];
      for (const variant of [
        `${token}=`,
        `${header}.${payload}.${standardAlphabet}`,
        `${header}.${payload}.${lowBitsSet}`,
        `${header}=.${payload}.${signature}`,
      ]) {
        if (variant === token) continue;
        expect((await rejectionOf(verifier, variant)).message).toBe('malformed token');
      }
    });

    it.each([
      ['a NUL in sub', { sub: 'ali\u0000ce' }, 'invalid claim: sub'],
      ['a lone surrogate in sub', { sub: 'ali\ud800' }, 'invalid claim: sub'],
      ['a NUL in a permission', { permissions: ['kv-entry:read\u0000'] }, 'invalid claim: permissions'],
      ['a lone surrogate in apps', { apps: ['billing\udfff'] }, 'invalid claim: apps'],
      ['too many permissions', { permissions: Array.from({ length: 257 }, () => 'kv-entry:read') }, 'invalid claim: permissions'],
    ])('rejects a signed token with %s', async (_name, claims, reason) => {
      expect((await rejectionOf(verifier, await signHs256({ ...valid(), ...claims }))).message).toBe(reason);
    });

    it('rejects an RS256 token', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      expect((await rejectionOf(verifier, await signRs256(valid(), privateKey, 'k1'))).message).toBe('algorithm not allowed');
    });

    it('rejects a token without exp', async () => {
      const token = await signHs256({ ...CLAIMS, iss: 'kv-test', aud: 'kv-gateway' });
      expect((await rejectionOf(verifier, token)).message).toBe('missing claim: exp');
    });

    it.each(['sub', 'permissions', 'apps'])('rejects a token without %s', async (claim) => {
      const token = await signHs256(valid({ [claim]: undefined }));
      expect((await rejectionOf(verifier, token)).message).toBe(`missing claim: ${claim}`);
    });

    it.each([
      ['permissions', 'kv-entry:read'],
      ['permissions', [1, 2]],
      ['apps', '*'],
      ['apps', { app: true }],
      ['sub', ''],
      ['sub', 42],
    ])('rejects a token whose %s is %j', async (claim, value) => {
      const token = await signHs256(valid({ [claim]: value }));
      expect((await rejectionOf(verifier, token)).message).toBe(`invalid claim: ${claim}`);
    });

    it('rejects a token from another issuer', async () => {
      expect((await rejectionOf(verifier, await signHs256(valid({ iss: 'evil' })))).message).toBe('invalid claim: iss');
    });

    it('rejects a token for another audience', async () => {
      expect((await rejectionOf(verifier, await signHs256(valid({ aud: 'other' })))).message).toBe('invalid claim: aud');
    });

    it.each(['', 'not-a-jwt', 'a.b.c'])("rejects the malformed token '%s'", async (token) => {
      expect((await rejectionOf(verifier, token)).message).toBe('malformed token');
    });

    it('never puts the token in the error message', async () => {
      const token = await signHs256(valid(), 'another-secret-that-is-also-32-bytes-long');
      const error = await rejectionOf(verifier, token);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(token.split('.')[1]);
    });
  });

  describe('verified tokens', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const valid = (extra: JWTPayload = {}) => ({ ...CLAIMS, exp: inOneHour(), ...extra });

    it('answers a token seen before from the cache: the same frozen principal', async () => {
      const verifier = new TokenVerifier({ hs256Secret: SECRET });
      const token = await signHs256(valid());
      const first = await verifier.verify(token);
      expect(await verifier.verify(token)).toBe(first);
      const { principal } = first;
      expect(Object.isFrozen(principal) && Object.isFrozen(principal.permissions) && Object.isFrozen(principal.applications)).toBe(true);
    });

    it('does not let a cached token vouch for a tampered copy of it', async () => {
      const verifier = new TokenVerifier({ hs256Secret: SECRET });
      const token = await signHs256(valid());
      await verifier.verify(token);
      const [header, , signature] = token.split('.');
      const widened = Buffer.from(JSON.stringify({ ...valid(), permissions: ['*'] })).toString('base64url');
      expect((await rejectionOf(verifier, `${header}.${widened}.${signature}`)).message).toBe('bad signature');
    });

    it('says when the token expires: its exp', async () => {
      const exp = inOneHour();
      const verified = await new TokenVerifier({ hs256Secret: SECRET }).verify(await signHs256(valid({ exp })));
      expect(verified.expiresAt).toBe(exp * 1000);
    });

    it('verifies again after the cache age', async () => {
      const verifier = new TokenVerifier({ hs256Secret: SECRET, verifiedCacheMs: 20 });
      const token = await signHs256(valid());
      const first = await verifier.verify(token);
      await sleep(40);
      const again = await verifier.verify(token);
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
    });

    it('refuses a cached token once it has expired', async () => {
      const verifier = new TokenVerifier({ hs256Secret: SECRET });
      const exp = Math.floor(Date.now() / 1000) + 1;
      const token = await signHs256(valid({ exp }));
      await verifier.verify(token);
      await sleep(exp * 1000 - Date.now() + 50);
      expect((await rejectionOf(verifier, token)).message).toBe('token expired');
    });
  });

  describe('with a JWKS URL', () => {
    const kid = 'key-1';
    let privateKey: KeyLike;
    let server: Server;
    let verifier: TokenVerifier;

    beforeAll(async () => {
      const keyPair = await generateKeyPair('RS256');
      privateKey = keyPair.privateKey;
      const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(keyPair.publicKey)), kid, alg: 'RS256', use: 'sig' }] });
      server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      verifier = new TokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('accepts an RS256 token signed by a key in the set', async () => {
      const token = await signRs256({ ...CLAIMS, exp: inOneHour() }, privateKey, kid);
      await expect(verifier.verify(token).then(({ principal }) => principal)).resolves.toEqual({
        id: 'user-1',
        permissions: ['kv-entry:read'],
        applications: ['app-1'],
      });
    });

    it('rejects an HS256 token (algorithm confusion)', async () => {
      const token = await signHs256({ ...CLAIMS, exp: inOneHour() });
      expect((await rejectionOf(verifier, token)).message).toBe('algorithm not allowed');
    });

    it("rejects an unsigned 'alg: none' token", async () => {
      expect((await rejectionOf(verifier, unsignedToken({ ...CLAIMS, exp: inOneHour() }))).message).toBe('algorithm not allowed');
    });

    it('rejects an RS256 token signed by a key outside the set', async () => {
      const { privateKey: strangerKey } = await generateKeyPair('RS256');
      const token = await signRs256({ ...CLAIMS, exp: inOneHour() }, strangerKey, kid);
      expect((await rejectionOf(verifier, token)).message).toBe('bad signature');
    });

    it('rejects an RS256 token without exp', async () => {
      const token = await signRs256(CLAIMS, privateKey, kid);
      expect((await rejectionOf(verifier, token)).message).toBe('missing claim: exp');
    });
  });
});

describe('tokens minted by @app/tokens (npm run token, kv token, the tests)', () => {
  const claims = { secret: SECRET, sub: 'ops', permissions: ['kv-entry:*'], apps: ['app-1'], ttlSeconds: 3600 };

  it('mints a token that TokenVerifier accepts', async () => {
    const token = await mintToken({ ...claims, issuer: 'kv', audience: 'kv-gateway' });
    const verifier = new TokenVerifier({ hs256Secret: SECRET, issuer: 'kv', audience: 'kv-gateway' });
    await expect(verifier.verify(token).then(({ principal }) => principal)).resolves.toEqual({
      id: 'ops',
      permissions: ['kv-entry:*'],
      applications: ['app-1'],
    });
  });
});
