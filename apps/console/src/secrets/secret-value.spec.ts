import { describe, expect, it } from '@jest/globals';
import type { Entry } from '@kv-service/client';
import { EMPTY_ROTATION_FORM, parseValueText, rotateOptionsOf, rotationOutcomeOf, secretText } from './secret-value';

const entryOf = (valueType: Entry['valueType'], value: Entry['value'], version = 2): Entry => ({ valueType, value, version }) as Entry;

describe('secret values as text', () => {
  it('shows a secret as the value itself: BINARY as base64, JSON indented', () => {
    expect(secretText(entryOf('STRING', 's3cr3t'))).toBe('s3cr3t');
    expect(secretText(entryOf('JSON', { user: 'app' }))).toBe('{\n  "user": "app"\n}');
    expect(secretText(entryOf('BINARY', new Uint8Array([0, 255, 1])))).toBe('AP8B');
  });

  it('parses typed text into the value of its type, or says why not', () => {
    expect(parseValueText('p@ss word', 'STRING')).toEqual({ value: 'p@ss word' });
    expect(parseValueText('', 'STRING')).toEqual({ error: 'Enter the new value' });
    expect(parseValueText(' 42.5 ', 'NUMBER')).toEqual({ value: 42.5 });
    for (const refused of ['4x', '', '0x10', '0b11'])
      expect(parseValueText(refused, 'NUMBER')).toEqual({ error: 'Enter a number in decimal notation, e.g. 42 or -1.5' });
    expect(parseValueText('true', 'BOOLEAN')).toEqual({ value: true });
    expect(parseValueText('yes', 'BOOLEAN')).toEqual({ error: 'Enter true or false' });
    expect(parseValueText('{"a":[1]}', 'JSON')).toEqual({ value: { a: [1] } });
    expect(parseValueText('{a', 'JSON')).toMatchObject({ error: expect.stringMatching(/^Not JSON: /) });
    expect(parseValueText('AP8B', 'BINARY')).toEqual({ value: new Uint8Array([0, 255, 1]) });
    expect(parseValueText('AP8', 'BINARY')).toEqual({ error: 'Enter the bytes as base64' });
    expect(parseValueText('P1D', 'DURATION')).toEqual({ value: 'P1D' });
  });
});

describe('the rotation form', () => {
  it('rotates to a given value in the secret’s own type', () => {
    expect(rotateOptionsOf({ ...EMPTY_ROTATION_FORM, source: 'given', value: '6433', reason: ' moved ' }, 'NUMBER')).toEqual({
      options: { value: 6433, valueType: 'NUMBER', reason: 'moved' },
    });
    expect(rotateOptionsOf({ ...EMPTY_ROTATION_FORM, source: 'given', value: '' }, 'STRING')).toEqual({ error: 'Enter the new value' });
  });

  it('asks for a generated value of a length from 8 to 4096, in an alphabet, the reason optional', () => {
    expect(rotateOptionsOf(EMPTY_ROTATION_FORM, 'STRING')).toEqual({
      options: { length: 32, alphabet: 'alphanumeric', reason: undefined },
    });
    expect(rotateOptionsOf({ ...EMPTY_ROTATION_FORM, length: 40, alphabet: 'base64url', reason: 'quarterly' }, 'JSON')).toEqual({
      options: { length: 40, alphabet: 'base64url', reason: 'quarterly' },
    });
    for (const length of [7, 4097, 12.5, ''])
      expect(rotateOptionsOf({ ...EMPTY_ROTATION_FORM, length }, 'STRING')).toEqual({ error: 'A length from 8 to 4096' });
  });

  it('keeps a generated value to show once, and never a given one', () => {
    const entry = entryOf('STRING', 'Zq81xYw0', 5);
    expect(rotationOutcomeOf('generated', entry)).toEqual({ version: 5, generated: 'Zq81xYw0' });
    expect(rotationOutcomeOf('given', entry)).toEqual({ version: 5, generated: null });
  });
});
