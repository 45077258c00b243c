import { ValidationOptions, registerDecorator } from 'class-validator';
import type { ErrorCode } from '../errors/error-codes';

/**
 * `@ArrayMaxSize` with its own error code, for arrays only: class-validator's fails for a value that is
 * no array at all, and its code would then name a count the body never had (`{}` answered TOO_MANY_KEYS).
 * What is not an array is `@IsArray`'s to report, as VALIDATION_FAILED.
 */
export function MaxItems(max: number, code: ErrorCode, options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxItems',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options: { message: `$property must hold at most ${max} items`, context: { code }, ...options },
      validator: { validate: (value: unknown) => !Array.isArray(value) || value.length <= max },
    });
}
