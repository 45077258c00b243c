import { DecryptionError } from './crypto-errors';
import { generateDataKey } from './envelope';
import { openSecretValue, sealSecretValue } from './secret-value';

const binding = { namespaceId: '3f0c2a5e-0000-4000-8000-00000000000a', keyPath: 'db/password', version: 3 };

describe('sealSecretValue / openSecretValue', () => {
  const dataKey = generateDataKey();

  it.each([
    ['a string', 's3cr3t'],
    ['a number', 5432],
    ['a boolean', false],
    ['an object', { user: 'app', ports: [1, 2] }],
    ['unicode', 'pässwörd ✓'],
  ])('gives back %s exactly', (_label, value) => {
    expect(openSecretValue(dataKey, sealSecretValue(dataKey, value, binding), binding)).toEqual(value);
  });

  it('never contains the plaintext, and seals the same value differently each time', () => {
    const first = sealSecretValue(dataKey, 'visible-plaintext', binding);
    const second = sealSecretValue(dataKey, 'visible-plaintext', binding);
    expect(first.toString('latin1')).not.toContain('visible-plaintext');
    expect(first.equals(second)).toBe(false);
  });

  it('refuses a value opened under another binding or another key', () => {
    const sealed = sealSecretValue(dataKey, 'x', binding);
    expect(() => openSecretValue(dataKey, sealed, { ...binding, version: 2 })).toThrow(DecryptionError);
    expect(() => openSecretValue(dataKey, sealed, { ...binding, keyPath: 'db/user' })).toThrow(DecryptionError);
    expect(() => openSecretValue(generateDataKey(), sealed, binding)).toThrow(DecryptionError);
  });
});
