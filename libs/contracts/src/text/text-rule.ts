import { ValidationOptions, registerDecorator } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';

/**
 * The one text rule for every string that comes from outside: well-formed Unicode (no lone UTF-16
 * surrogate, which Postgres would store as U+FFFD while a hash saw the original) and no U+0000 (which
 * Postgres text and jsonb cannot hold). With the `u` flag a lone surrogate is a code point of its own, so
 * `\p{Cs}` matches exactly the unpaired ones.
 */
const FORBIDDEN_TEXT = /[\u0000\p{Cs}]/u;

export const TEXT_RULE = 'must be well-formed Unicode without the character U+0000';

export function isWellFormedText(text: string): boolean {
  return !FORBIDDEN_TEXT.test(text);
}

/** `text` with each character the rule forbids replaced by U+FFFD, as a UTF-8 encoder writes a lone surrogate. */
export function withForbiddenTextReplaced(text: string): string {
  return text.replace(new RegExp(FORBIDDEN_TEXT.source, 'gu'), '\ufffd');
}

/**
 * Whether every string of a JSON value, object keys included, follows the text rule. Iterative, so that
 * no nesting depth can overflow the stack (bodies are depth-limited at the edge, but a service does not
 * rely on that).
 */
export function isWellFormedJsonText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!isWellFormedText(item)) return false;
    } else if (Array.isArray(item)) {
      for (const child of item) pending.push(child);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isWellFormedText(key)) return false;
        pending.push(child);
      }
    }
  }
  return true;
}

/**
 * class-validator's form of the text rule for a string field (or, with `each`, a string array). A
 * failure is `code` (INVALID_TEXT unless the field is a key or a value) with a message naming the field,
 * never the text. Non-strings pass: the field's type decorator reports those.
 */
export function IsWellFormedText(code: ErrorCode = ErrorCode.INVALID_TEXT, options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWellFormedText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property ${TEXT_RULE}`, context: { code }, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || isWellFormedText(value) },
    });
}
