import { ErrorCode, encodeCursor } from '@app/contracts';
import { auditListQuery, sequenceCursor } from './audit-list-query';

const NS = '8a2676cf-37c4-4523-9bd1-b0a75c8948d0';

describe('auditListQuery', () => {
  it('without filters, for a caller of every application: newest first, limit only', () => {
    const query = auditListQuery({}, { all: true }, null, 101);
    expect(query.sql).not.toContain('WHERE');
    expect(query.sql).toMatch(/ORDER BY sequence DESC LIMIT \$1$/);
    expect(query.parameters).toEqual([101]);
  });

  it('limits a caller to their applications (a record without an application never matches = ANY)', () => {
    const query = auditListQuery({}, { all: false, applicationIds: ['billing', 'shop'] }, null, 11);
    expect(query.sql).toContain('WHERE application_id = ANY($1::text[])');
    expect(query.parameters).toEqual([['billing', 'shop'], 11]);
  });

  it('ands every filter, with from inclusive, to exclusive and the cursor below its sequence, all as parameters', () => {
    const query = auditListQuery(
      {
        namespaceId: NS,
        keyPath: "db/pass'word",
        action: 'READ',
        userId: 'u',
        success: false,
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-02-01T00:00:00.000Z',
      },
      { all: true },
      '42',
      5,
    );
    expect(query.sql).toContain(
      'WHERE namespace_id = $1::uuid AND key_path = $2 AND action = $3 AND user_id = $4 AND success = $5' +
        ' AND occurred_at >= $6::timestamptz AND occurred_at < $7::timestamptz AND sequence < $8::bigint',
    );
    expect(query.sql).not.toContain("pass'word");
    expect(query.parameters).toEqual([
      NS,
      "db/pass'word",
      'READ',
      'u',
      false,
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
      '42',
      5,
    ]);
  });
});

describe('sequenceCursor', () => {
  it('is null without a cursor', () => {
    expect(sequenceCursor(undefined)).toBeNull();
    expect(sequenceCursor('')).toBeNull();
  });

  it('gives back the sequence a page ended at, beyond the range of a JS number', () => {
    expect(sequenceCursor(encodeCursor(['42']))).toBe('42');
    expect(sequenceCursor(encodeCursor(['9223372036854775807']))).toBe('9223372036854775807');
  });

  it.each([['0'], ['-3'], ['1.5'], ['1e3'], ['9223372036854775808'], ['abc'], ['007']])(
    'refuses a forged position %s with INVALID_CURSOR',
    (position) => {
      expect(() => sequenceCursor(encodeCursor([position]))).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
    },
  );

  it('refuses a cursor that is not ours', () => {
    expect(() => sequenceCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CURSOR }));
  });
});
