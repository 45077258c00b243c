import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

type EnvClass<T> = new () => T;

/**
 * Builds a `ConfigModule` `validate` function: the environment is read once at start-up into a typed
 * object, and a process with bad configuration stops at once with every problem listed.
 */
export function envValidator<T extends object>(envClass: EnvClass<T>): (raw: Record<string, unknown>) => T {
  return (raw) => {
    const env = plainToInstance(envClass, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
    const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
    if (errors.length > 0) {
      const problems = errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((constraint) => `  - ${error.property}: ${constraint}`),
      );
      throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
    }
    return env;
  };
}
