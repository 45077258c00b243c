import type { KvValue, ValueType } from '@kv-service/client';
import { dateTimeInputOf, draftOf, formatJson, metadataOf, valueOfDraft, valueText } from './value-codec';

const text = (value: string) => ({ text: value, bytes: null });

describe('the value editor codec', () => {
  it("gives back every type's value as it came, through its draft", () => {
    const values: Array<[ValueType, KvValue]> = [
      ['STRING', 'hello world'],
      ['JSON', { port: 5432, hosts: ['a', 'b'], tls: true }],
      ['JSON', [1, null, 'x']],
      ['NUMBER', -1.5],
      ['BOOLEAN', false],
      ['BINARY', new Uint8Array([0, 255, 10])],
      ['DATETIME', '2026-05-01T12:00:30Z'],
      ['DATE', '2024-02-29'],
      ['DURATION', 'P1DT2H'],
    ];
    for (const [valueType, value] of values) expect(valueOfDraft(valueType, draftOf(valueType, value))).toEqual({ value });
  });

  it('reads a date and time as UTC, whatever offset it was stored with', () => {
    expect(dateTimeInputOf('2026-05-01T14:00:00+02:00')).toBe('2026-05-01T12:00:00');
    expect(dateTimeInputOf('2026-05-01T12:00:00.250Z')).toBe('2026-05-01T12:00:00.250');
    expect(valueOfDraft('DATETIME', text('2026-05-01T12:00'))).toEqual({ value: '2026-05-01T12:00:00Z' });
  });

  it('says why a draft does not fit its type', () => {
    const refused: Array<[ValueType, string]> = [
      ['JSON', '{"a":'],
      ['NUMBER', ''],
      ['NUMBER', '12abc'],
      // Numbers to Number() (16 and 3), not in decimal notation.
      ['NUMBER', '0x10'],
      ['NUMBER', '0b11'],
      ['BOOLEAN', 'yes'],
      ['DATE', '2023-02-29'],
      ['DATE', '1 May'],
      ['DATETIME', '2026-13-01T00:00'],
      ['DURATION', 'P'],
      ['DURATION', '30 seconds'],
    ];
    for (const [valueType, draftText] of refused) expect(valueOfDraft(valueType, text(draftText))).toHaveProperty('problem');
    expect(valueOfDraft('BINARY', text(''))).toEqual({ problem: 'Choose a file' });
    expect(valueOfDraft('STRING', text(''))).toEqual({ value: '' });
    expect(valueOfDraft('NUMBER', text(' 42 '))).toEqual({ value: 42 });
  });

  it('formats JSON with two-space indents, and answers null for text that is not JSON', () => {
    expect(formatJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(formatJson('{a:1}')).toBeNull();
  });

  it('shows a value as text: bytes by their size or as base64, JSON indented or on one line', () => {
    expect(valueText('STRING', 's3cr3t')).toBe('s3cr3t');
    expect(valueText('NUMBER', 42)).toBe('42');
    expect(valueText('BOOLEAN', false)).toBe('false');
    expect(valueText('BINARY', new Uint8Array(3))).toBe('3 bytes');
    expect(valueText('BINARY', new Uint8Array([0, 255, 1]), { bytes: 'base64' })).toBe('AP8B');
    expect(valueText('JSON', { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(valueText('JSON', { a: [1, null] }, { oneLine: true })).toBe('{"a":[1,null]}');
    expect(valueText('JSON', 'text')).toBe('"text"');
    expect(valueText('JSON', null, { oneLine: true })).toBe('null');
  });

  it('takes metadata as a JSON object, or none when empty', () => {
    expect(metadataOf('  ')).toEqual({ metadata: undefined });
    expect(metadataOf('{"owner":"team"}')).toEqual({ metadata: { owner: 'team' } });
    for (const refused of ['[1]', '"x"', 'null', '{'])
      expect(metadataOf(refused)).toEqual({ problem: 'A JSON object, e.g. {"owner": "team-billing"}' });
  });
});
