import { decodeJwt } from 'jose';
import { mintToken, parseDuration } from './token-minter';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long';

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['30m', 1800],
    ['1h', 3600],
    ['7d', 604800],
    ['3600', 3600],
  ])('%s is %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', 'h', '1x', '1.5h', '-1h', ' 1h', '1h ', '1 h', '1H', '0', '0s', '1e3', '99999999999999999999d'])(
    "rejects '%s' with a clear message",
    (input) => {
      expect(() => parseDuration(input)).toThrow(/invalid duration/);
    },
  );
});

describe('mintToken', () => {
  const claims = { secret: SECRET, sub: 'ops', permissions: ['kv-entry:*'], apps: ['app-1'], ttlSeconds: 3600 };

  it('expires after ttlSeconds', async () => {
    const { iat, exp } = decodeJwt(await mintToken(claims));
    expect(exp! - iat!).toBe(3600);
  });

  it('refuses an empty secret', async () => {
    await expect(mintToken({ ...claims, secret: '' })).rejects.toThrow(/secret/);
  });

  it('refuses a non-positive ttl', async () => {
    await expect(mintToken({ ...claims, ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
  });
});
