import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode, KvException, isErrorCode, jsonContentProblem } from '@app/contracts';
import { memoizeValidationMetadata } from '../validation/validation-metadata-cache';

// The name of an unknown property is caller data (a client may have sent a secret as a key), so it is not echoed.
const UNKNOWN_PROPERTY = 'whitelistValidation';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, constraint]) =>
      name === UNKNOWN_PROPERTY
        ? `${parent || 'body'}: has a property that is not part of the API (its name is not repeated, as it may hold data)`
        : `${path}: ${constraint}`,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** Lists every validation problem on one line; property paths, never the offending values. */
export function validationMessage(errors: ValidationError[]): string {
  return describe(errors).join('; ');
}

function contextCode(errors: ValidationError[]): ErrorCode | undefined {
  for (const error of errors) {
    const code = Object.values(error.contexts ?? {})
      .map((context: { code?: unknown }) => context.code)
      .find(isErrorCode);
    if (code) return code;
    const nested = contextCode(error.children ?? []);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * The exception for failed validation: VALIDATION_FAILED, unless a failed constraint names a more
 * precise code in its context (`@ArrayMaxSize(1000, { context: { code: ErrorCode.TOO_MANY_KEYS } })`).
 */
export function validationException(errors: ValidationError[]): KvException {
  return new KvException(contextCode(errors) ?? ErrorCode.VALIDATION_FAILED, validationMessage(errors));
}

/** Refuses what class-transformer would misread or JSON could not carry back (jsonContentProblem) before it sees it. */
class ContractValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = jsonContentProblem(value);
    if (problem !== null) throw new KvException(problem.code, problem.message);
    return super.transform(value, metadata);
  }
}

/**
 * The same validation rules as the gateway, applied again to every message a service receives:
 * the contracts' request classes are the single definition of a valid message. Validation then looks
 * class-validator's rules up per class once (see memoizeValidationMetadata).
 */
export function createRpcValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationException,
  });
}
