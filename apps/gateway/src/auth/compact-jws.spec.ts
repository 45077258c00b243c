import { isCanonicalCompactJws } from './compact-jws';

const encode = (text: string) => Buffer.from(text).toString('base64url');
const header = encode('{"alg":"HS256","typ":"JWT"}');
const payload = encode('{"sub":"alice","exp":2000000000}');
// 32 bytes: 43 characters, 2 unused low bits in the last one.
const signature = Buffer.alloc(32, 7).toString('base64url');
const token = `${header}.${payload}.${signature}`;

describe('isCanonicalCompactJws', () => {
  it('accepts a token as canonical encoders write it', () => {
    expect(signature).toHaveLength(43);
    expect(isCanonicalCompactJws(token)).toBe(true);
  });

  it('refuses padding, the +/ alphabet and other characters', () => {
    expect(isCanonicalCompactJws(`${token}=`)).toBe(false);
    expect(isCanonicalCompactJws(`${header}.${payload}.${Buffer.alloc(32, 0xfb).toString('base64')}`)).toBe(false);
    expect(isCanonicalCompactJws(`${header}.${payload}.${signature.slice(0, -1)}~`)).toBe(false);
  });

  it('refuses a last character whose unused bits are set', () => {
    // The same 32 bytes, spelled with the low bits of the last character flipped: jose decodes both alike.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flipped = alphabet[alphabet.indexOf(last) | 1]!;
    expect(Buffer.from(signature.slice(0, -1) + flipped, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(isCanonicalCompactJws(`${header}.${payload}.${signature.slice(0, -1)}${flipped}`)).toBe(false);
  });

  it('refuses a part of impossible length, an empty part, or a wrong number of parts', () => {
    expect(isCanonicalCompactJws(`${header}.${payload}.${signature}AA`)).toBe(false);
    expect(isCanonicalCompactJws(`${header}.${payload}.`)).toBe(false);
    expect(isCanonicalCompactJws(`${header}.${payload}`)).toBe(false);
    expect(isCanonicalCompactJws(`${token}.${signature}`)).toBe(false);
  });
});
