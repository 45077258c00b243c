import { describe, expect, it } from '@jest/globals';
import { auditFiltersFor, auditQueryOf, chainStateOf, NO_AUDIT_FILTERS } from './audit-filters';

describe('auditQueryOf', () => {
  it('no filter is an empty query', () => {
    expect(auditQueryOf(NO_AUDIT_FILTERS)).toEqual({ query: {}, errors: null });
  });

  it('sends each filter given, the namespace id lower-cased, the outcome as success, times in UTC', () => {
    const from = '2026-12-07T17:05';
    expect(
      auditQueryOf({
        action: 'WRITE',
        namespaceId: ' 3F1C2A9E-8B7D-4C6E-9F0A-1B2C3D4E5F60 ',
        keyPath: 'config/db host',
        userId: ' ops ',
        outcome: 'failed',
        from,
        to: '',
      }),
    ).toEqual({
      query: {
        action: 'WRITE',
        namespaceId: '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60',
        keyPath: 'config/db host',
        userId: 'ops',
        success: false,
        from: new Date(from).toISOString(),
      },
      errors: null,
    });
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, outcome: 'succeeded' }).query).toEqual({ success: true });
  });

  it('says what is wrong instead of sending a query the API would refuse', () => {
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, namespaceId: 'billing' })).toEqual({
      query: null,
      errors: { namespaceId: expect.stringMatching(/UUID/) },
    });
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, from: 'soon' }).errors).toEqual({ from: 'Not a date and time' });
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, from: '2026-12-07T18:00', to: '2026-12-07T17:00' }).errors).toEqual({
      to: 'Must be after From',
    });
  });
});

describe('chainStateOf', () => {
  it('an intact chain says how many records it checked', () => {
    expect(chainStateOf({ ok: true, checked: 1234, firstBrokenSequence: null, reason: null, reanchored: [] })).toEqual({
      intact: true,
      label: 'Chain intact (1234 records)',
      detail: null,
    });
  });

  it('a broken chain says where and why, and re-anchored records are named either way', () => {
    expect(chainStateOf({ ok: false, checked: 10, firstBrokenSequence: '42', reason: 'hash mismatch', reanchored: ['7'] })).toEqual({
      intact: false,
      label: 'Chain broken at record 42',
      detail: 'hash mismatch; 1 re-anchored by an operator (7)',
    });
    expect(chainStateOf({ ok: true, checked: 3, firstBrokenSequence: null, reason: null, reanchored: ['2'] }).detail).toBe(
      '1 re-anchored by an operator (2)',
    );
  });
});

describe('a token that reads the audit of some namespaces only', () => {
  const mine = ['0b6f7f4e-6c3a-4c59-9d0e-1f2a3b4c5d6e', '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d'];

  it('starts in its first namespace, and queries one of its namespaces only', () => {
    const start = auditFiltersFor(mine);
    expect(start.namespaceId).toBe(mine[0]);
    expect(auditQueryOf(start, mine).query).toEqual({ namespaceId: mine[0] });
    expect(auditQueryOf({ ...start, namespaceId: mine[1]!.toUpperCase() }, mine).query).toEqual({ namespaceId: mine[1] });
  });

  it('asks for one of them rather than querying every namespace (which the gateway refuses)', () => {
    const problem = { namespaceId: 'Your token reads the audit trail of some namespaces only: choose one of them' };
    expect(auditQueryOf(NO_AUDIT_FILTERS, mine)).toEqual({ query: null, errors: problem });
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, namespaceId: '11111111-2222-4333-8444-555555555555' }, mine).errors).toEqual(problem);
    expect(auditFiltersFor(null)).toEqual(NO_AUDIT_FILTERS);
  });
});
