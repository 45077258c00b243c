/**
 * The one classification of Postgres and driver errors: what a service answers (409, 503, a retry) and
 * what the audit service dead-letters all follow from it. TypeORM wraps the driver's error in
 * `QueryFailedError.driverError`; both shapes are read.
 */

// Postgres and driver errors that mean "the database is away", not "the request is wrong".
const UNAVAILABLE_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
const UNAVAILABLE_MESSAGE = /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/;

const SERIALIZATION_FAILURE = '40001';
// A deadlock or serialization failure: nothing was applied, and the same request may well succeed again.
const RETRYABLE_CONFLICT_CODES = new Set(['40P01', SERIALIZATION_FAILURE]);

function field(error: unknown, name: 'code' | 'constraint' | 'message'): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const wrapped = (error as { driverError?: Record<string, unknown> }).driverError;
  const value = wrapped?.[name] ?? (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The SQLSTATE (or the driver's errno code) of an error, if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  return field(error, 'code');
}

function isViolation(sqlState: string, error: unknown, constraint?: string): boolean {
  return sqlStateOf(error) === sqlState && (constraint === undefined || field(error, 'constraint') === constraint);
}

/** Whether a driver error is a unique violation (SQLSTATE 23505), optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return isViolation('23505', error, constraint);
}

/** Whether a driver error is a foreign key violation (SQLSTATE 23503), optionally of one named constraint. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return isViolation('23503', error, constraint);
}

/** A data exception or integrity violation (SQLSTATE classes 22 and 23): the data is to blame, and a retry cannot help. */
export function isDataError(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

export function isRetryableConflict(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && RETRYABLE_CONFLICT_CODES.has(code);
}

/** A serialization failure alone (not a deadlock): a statement found a row changed under it and wrote nothing. */
export function isSerializationFailure(error: unknown): boolean {
  return sqlStateOf(error) === SERIALIZATION_FAILURE;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = sqlStateOf(error);
  if (code !== undefined && UNAVAILABLE_ERROR_CODES.has(code)) return true;
  const message = field(error, 'message');
  return message !== undefined && UNAVAILABLE_MESSAGE.test(message);
}
