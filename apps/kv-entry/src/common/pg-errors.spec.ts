import { isForeignKeyViolation, isUniqueViolation } from './pg-errors';

describe('isUniqueViolation', () => {
  it('recognises SQLSTATE 23505', () => expect(isUniqueViolation({ code: '23505', constraint: 'c' })).toBe(true));
  it('matches the constraint when one is named', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'c' }, 'c')).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'other' }, 'c')).toBe(false);
  });
  it.each([null, undefined, 'x', new Error('boom'), { code: '23503' }])('ignores %p', (error) => expect(isUniqueViolation(error)).toBe(false));
});

describe('isForeignKeyViolation', () => {
  it('recognises SQLSTATE 23503 of the named constraint only', () => {
    expect(isForeignKeyViolation({ code: '23503', constraint: 'entry_namespace_id_fkey' }, 'entry_namespace_id_fkey')).toBe(true);
    expect(isForeignKeyViolation({ code: '23503', constraint: 'other' }, 'entry_namespace_id_fkey')).toBe(false);
    expect(isForeignKeyViolation({ code: '23505', constraint: 'entry_namespace_id_fkey' }, 'entry_namespace_id_fkey')).toBe(false);
  });
});
