import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((constraint) => `${path}: ${constraint}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** Lists every validation problem on one line; property paths, never the offending values. */
export function validationMessage(errors: ValidationError[]): string {
  return describe(errors).join('; ');
}

/**
 * The same validation rules as the gateway, applied again to every message a service receives:
 * the contracts' request classes are the single definition of a valid message.
 */
export function createRpcValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new KvException(ErrorCode.VALIDATION_FAILED, validationMessage(errors)),
  });
}
