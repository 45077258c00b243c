import { describe, expect, it } from '@jest/globals';
import { entryPathOf, keyOfEntryPath } from './entry-path';

describe('keyOfEntryPath', () => {
  it('decodes each segment of the key on its own', () => {
    expect(keyOfEntryPath('/namespaces/ns-1/entry/db/password')).toBe('db/password');
    expect(keyOfEntryPath('/namespaces/ns-1/entry/payments/stripe%20key')).toBe('payments/stripe key');
    expect(keyOfEntryPath('/namespaces/ns-1/entry/tls/cert.pem')).toBe('tls/cert.pem');
    expect(keyOfEntryPath('/namespaces/ns-1/entry/%C3%A9t%C3%A9/%F0%9F%94%91')).toBe('été/🔑');
  });

  it('keeps an escaped % or ? as the character it stands for', () => {
    expect(keyOfEntryPath('/namespaces/ns-1/entry/a%25b/c%3Fd')).toBe('a%b/c?d');
  });

  it('answers null for another route, an empty key or segment, or a malformed escape', () => {
    expect(keyOfEntryPath('/namespaces/ns-1')).toBeNull();
    expect(keyOfEntryPath('/namespaces/ns-1/entry/')).toBeNull();
    expect(keyOfEntryPath('/namespaces/ns-1/entry/a//b')).toBeNull();
    expect(keyOfEntryPath('/namespaces/ns-1/entry/a/')).toBeNull();
    expect(keyOfEntryPath('/namespaces/ns-1/entry/%E0%A4%A')).toBeNull();
    expect(keyOfEntryPath('/audit/namespaces/ns-1/entry/a')).toBeNull();
  });

  it('reads back what entryPathOf writes', () => {
    for (const key of ['db/password', 'a b/c%d/e?f#g', 'été/🔑', 'tls/cert.pem']) {
      expect(keyOfEntryPath(entryPathOf('3f0c-ns', key))).toBe(key);
    }
    expect(entryPathOf('ns-1', 'a b/c')).toBe('/namespaces/ns-1/entry/a%20b/c');
  });
});
