import { validateSync } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsWellFormedText, isWellFormedJsonText, isWellFormedText, withForbiddenTextReplaced } from './text-rule';

describe('the text rule', () => {
  it('accepts any well-formed text, astral characters and controls other than NUL included', () => {
    for (const text of ['', 'plain', 'é', '日本', '😀 paired \ud83d\ude00', '\u202e bidi', 'tab\tnew\nline', '\u0001', '\uffff']) {
      expect(isWellFormedText(text)).toBe(true);
    }
  });

  it('refuses NUL and every lone surrogate, wherever it stands', () => {
    for (const text of ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud83d', 'ok\ud83d', '\ude00ok']) {
      expect(isWellFormedText(text)).toBe(false);
    }
  });

  it('replaces each forbidden character, and only those, by U+FFFD', () => {
    expect(withForbiddenTextReplaced('a\u0000b\ud800c\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ud83d\ude00');
    expect(isWellFormedText(withForbiddenTextReplaced('\udfff\u0000'))).toBe(true);
  });

  it('checks every string and key of a JSON value, however deep', () => {
    expect(isWellFormedJsonText({ a: ['b', { c: 'd' }], e: 1, f: null })).toBe(true);
    expect(isWellFormedJsonText({ a: ['b', { c: 'd\u0000' }] })).toBe(false);
    expect(isWellFormedJsonText({ 'k\ud800': 1 })).toBe(false);
    let deep: unknown = 'x\udfff';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(isWellFormedJsonText(deep)).toBe(false);
  });

  it('as a decorator: the field is named with its code, the text is not quoted', () => {
    class Body {
      @IsWellFormedText() reason?: unknown;
      @IsWellFormedText(ErrorCode.INVALID_KEY, { each: true }) keys?: unknown;
    }
    const errors = validateSync(Object.assign(new Body(), { reason: 'bad\u0000secret', keys: ['ok', '\ud800'] }));
    expect(errors.map((error) => [error.property, error.contexts?.isWellFormedText?.code])).toEqual([
      ['reason', ErrorCode.INVALID_TEXT],
      ['keys', ErrorCode.INVALID_KEY],
    ]);
    expect(JSON.stringify(errors.map((error) => error.constraints))).not.toContain('secret');
    expect(validateSync(Object.assign(new Body(), { reason: 'fine', keys: ['a', 'b'], other: 3 }))).toEqual([]);
  });
});
