import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each([
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"with space and \\"quotes\\" and \\\\"', 'with space and "quotes" and \\'],
    ['abc:def/ghi=', 'abc:def/ghi='],
  ])('takes %s as %s', (header, key) => {
    expect(parseIdempotencyKey(header)).toEqual({ key });
  });

  it.each([
    ['', 'must be a quoted string'],
    ['""', 'must not be empty'],
    ['two words', 'must be a quoted string'],
    ['a,b', 'must be a quoted string'],
    ['"unterminated', 'must be a quoted string'],
    ['"bad \\x escape"', 'must be a quoted string'],
    ['"é"', 'must be a quoted string'],
    ['k\u0000', 'must be a quoted string'],
    ['x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1), `at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`],
  ])('refuses %j', (header, problem) => {
    expect(parseIdempotencyKey(header)).toEqual({ problem: expect.stringContaining(problem) });
  });

  it('takes the longest key allowed', () => {
    expect(parseIdempotencyKey(`"${'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)}"`)).toEqual({ key: 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH) });
  });
});
