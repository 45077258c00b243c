import { inspect } from 'node:util';
import { KeyUnavailableError } from './crypto-errors';
import {
  DEFAULT_MASTER_KEY_ID,
  generateDevelopmentMasterKey,
  MasterKeyring,
  MasterKeyringConfig,
  parseMasterKeyring,
} from './master-keyring';

// Recognisable key material: if any error or log line leaks a key, these strings show up in it.
const PLANTED = 'PLANTED+KEY/MATERIAL+Must+Never+Leak/012340=';
const OTHER = 'OTHER+KEY/MATERIAL+Must+Never+Leak+/9876540=';
const PLANTED_SHORT = 'PLANTED+SHORT+KEY/Must+Never+Leak+012345'; // 30 bytes

function parseError(config: MasterKeyringConfig): Error {
  try {
    parseMasterKeyring(config);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected parsing to fail');
}

describe('parseMasterKeyring', () => {
  it('reads KV_MASTER_KEY as the single active key "default"', () => {
    const keyring = parseMasterKeyring({ masterKey: PLANTED });
    expect(keyring.activeKeyId).toBe(DEFAULT_MASTER_KEY_ID);
    expect(keyring.has('default')).toBe(true);
    expect(keyring.key('default')).toEqual(Buffer.from(PLANTED, 'base64'));
  });

  it('reads KV_MASTER_KEYS with the first key active and every key available', () => {
    const keyring = parseMasterKeyring({ masterKeys: `2024-b:${OTHER}, 2023_a.1:${PLANTED}` });
    expect(keyring.activeKeyId).toBe('2024-b');
    expect(keyring.key('2024-b')).toEqual(Buffer.from(OTHER, 'base64'));
    expect(keyring.key('2023_a.1')).toEqual(Buffer.from(PLANTED, 'base64'));
  });

  it('keeps keys in Buffers of exactly 32 bytes', () => {
    const key = parseMasterKeyring({ masterKey: PLANTED }).key('default');
    expect(Buffer.isBuffer(key)).toBe(true);
    expect(key).toHaveLength(32);
  });

  it('treats an empty variable as unset', () => {
    expect(parseMasterKeyring({ masterKey: PLANTED, masterKeys: '  ' }).activeKeyId).toBe('default');
  });

  it('throws KeyUnavailableError for an unknown key id', () => {
    const keyring = parseMasterKeyring({ masterKey: PLANTED });
    expect(keyring.has('missing')).toBe(false);
    expect(() => keyring.key('missing')).toThrow(KeyUnavailableError);
  });

  it.each([
    ['neither variable', {}],
    ['both variables', { masterKey: PLANTED, masterKeys: `a:${OTHER}` }],
  ])('requires exactly one variable: rejects %s', (_, config) =>
    expect(parseError(config).message).toMatch(/exactly one of KV_MASTER_KEY and KV_MASTER_KEYS/),
  );

  const badLists: Array<[string, string, RegExp]> = [
    ['an entry without an id', `a:${OTHER},${PLANTED}`, /entry 2 is not of the form/],
    ['an empty entry', `a:${OTHER},`, /entry 2 is not of the form/],
    ['an empty key id', `:${PLANTED}`, /entry 1 has an invalid key id/],
    ['a key id with a forbidden character', `a b:${PLANTED}`, /entry 1 has an invalid key id/],
    ['a key id longer than 64 characters', `${'k'.repeat(65)}:${PLANTED}`, /entry 1 has an invalid key id/],
    ['key and id swapped', `${PLANTED}:a`, /entry 1 has an invalid key id/],
    ['a duplicate key id', `a:${OTHER},a:${PLANTED}`, /entry 2: key id "a" appears more than once/],
    ['a key that is not base64', `a:${OTHER},b:${PLANTED.replace('+', '*')}`, /entry 2 \(key id "b"\) is not valid padded base64/],
    ['unpadded base64', `a:${PLANTED.replace(/=+$/, '')}`, /entry 1 \(key id "a"\) is not valid padded base64/],
    ['base64url', `a:${PLANTED.replace(/\+/g, '-').replace(/\//g, '_')}`, /entry 1 \(key id "a"\) is not valid/],
    ['a key shorter than 32 bytes', `a:${PLANTED_SHORT}`, /key id "a"\) must decode to 32 bytes, not 30/],
    ['a key longer than 32 bytes', `a:${PLANTED}${OTHER}`, /key id "a"\) is not valid padded base64/],
  ];
  it.each(badLists)('rejects %s in KV_MASTER_KEYS', (_, masterKeys, message) =>
    expect(parseError({ masterKeys }).message).toMatch(message),
  );

  it('rejects base64 with non-zero padding bits instead of dropping them', () => {
    const nonCanonical = PLANTED.replace(/.=$/, (last) => String.fromCharCode(last.charCodeAt(0) + 1) + '=');
    expect(Buffer.from(nonCanonical, 'base64')).toEqual(Buffer.from(PLANTED, 'base64'));
    expect(parseError({ masterKey: nonCanonical }).message).toMatch(/KV_MASTER_KEY is not canonical base64/);
  });

  it('rejects a KV_MASTER_KEY of the wrong length', () =>
    expect(parseError({ masterKey: PLANTED_SHORT }).message).toMatch(/KV_MASTER_KEY must decode to 32 bytes/));

  describe('parsing errors never contain the key material', () => {
    const planted = [PLANTED, PLANTED_SHORT, PLANTED.slice(0, 16), OTHER.slice(0, 16)];
    const failingConfigs: Array<[string, MasterKeyringConfig]> = [
      ...badLists.map(([name, masterKeys]): [string, MasterKeyringConfig] => [name, { masterKeys }]),
      ['a short KV_MASTER_KEY', { masterKey: PLANTED_SHORT }],
      ['both variables', { masterKey: PLANTED, masterKeys: `a:${OTHER}` }],
    ];
    it.each(failingConfigs)('%s', (_, config) => {
      const error = parseError(config);
      for (const material of planted) {
        expect(error.message).not.toContain(material);
        expect(String(error.stack)).not.toContain(material);
      }
    });
  });

  it('never exposes key material when logged or serialised', () => {
    const keyring = parseMasterKeyring({ masterKeys: `a:${PLANTED},b:${OTHER}` });
    const keyBytes = Buffer.from(PLANTED, 'base64').subarray(0, 6);
    const asNodePrintsABuffer = inspect(keyBytes).slice('<Buffer '.length, -1);
    for (const shown of [JSON.stringify(keyring), inspect(keyring, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain(PLANTED.slice(0, 16));
      expect(shown).not.toContain(keyBytes.toString('hex'));
      expect(shown).not.toContain(asNodePrintsABuffer);
    }
  });

  it('does not let the caller change the keyring through the map it was built from', () => {
    const keys = new Map([['a', Buffer.alloc(32, 1)]]);
    const keyring = new MasterKeyring('a', keys);
    keys.delete('a');
    expect(keyring.has('a')).toBe(true);
  });

  it('refuses an active key id that is not in the keyring', () =>
    expect(() => new MasterKeyring('b', new Map([['a', Buffer.alloc(32, 1)]]))).toThrow(/active master key/));
});

describe('generateDevelopmentMasterKey', () => {
  it('gives a fresh key that parses as KV_MASTER_KEY', () => {
    const key = generateDevelopmentMasterKey();
    expect(key).not.toBe(generateDevelopmentMasterKey());
    expect(parseMasterKeyring({ masterKey: key }).key('default')).toEqual(Buffer.from(key, 'base64'));
  });
});
