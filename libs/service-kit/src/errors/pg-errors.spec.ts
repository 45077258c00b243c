import {
  isDataError,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isRetryableConflict,
  isSerializationFailure,
  isUniqueViolation,
  sqlStateOf,
} from './pg-errors';

describe('isUniqueViolation', () => {
  it('recognises SQLSTATE 23505', () => expect(isUniqueViolation({ code: '23505', constraint: 'c' })).toBe(true));
  it('matches the constraint when one is named', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'c' }, 'c')).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'other' }, 'c')).toBe(false);
  });
  it.each([null, undefined, 'x', new Error('boom'), { code: '23503' }])('ignores %p', (error) =>
    expect(isUniqueViolation(error)).toBe(false),
  );
});

describe('isForeignKeyViolation', () => {
  it('recognises SQLSTATE 23503 of the named constraint only', () => {
    expect(isForeignKeyViolation({ code: '23503', constraint: 'entry_namespace_id_fkey' }, 'entry_namespace_id_fkey')).toBe(true);
    expect(isForeignKeyViolation({ code: '23503', constraint: 'other' }, 'entry_namespace_id_fkey')).toBe(false);
    expect(isForeignKeyViolation({ code: '23505', constraint: 'entry_namespace_id_fkey' }, 'entry_namespace_id_fkey')).toBe(false);
  });
});

describe('the shapes of a driver error', () => {
  it("reads the code and constraint of the error and of TypeORM's wrapper alike", () => {
    const wrapped = { message: 'duplicate key', driverError: { code: '23505', constraint: 'c' } };
    expect(sqlStateOf(wrapped)).toBe('23505');
    expect(isUniqueViolation(wrapped, 'c')).toBe(true);
  });
});

describe('isDataError', () => {
  it.each(['22021', '22P02', '23505', '23503'])('holds for %s', (code) => expect(isDataError({ code })).toBe(true));
  it.each(['40001', '57P01', 'ECONNREFUSED', undefined])('does not hold for %p', (code) => expect(isDataError({ code })).toBe(false));
});

describe('isRetryableConflict and isDatabaseUnavailable', () => {
  it('tell a conflict from an outage from a fault', () => {
    expect(isRetryableConflict({ code: '40P01' })).toBe(true);
    expect(isRetryableConflict({ code: '23505' })).toBe(false);
    expect(isSerializationFailure({ driverError: { code: '40001' } })).toBe(true);
    expect(isSerializationFailure({ code: '40P01' })).toBe(false);
    expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true);
    expect(isDatabaseUnavailable({ driverError: { code: 'ECONNREFUSED' } })).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
