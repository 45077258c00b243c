import type { ChangeEvent } from '@kv-service/client';
import { entryKey, namespaceKey, namespacesKey, secretKey, staleAfterChange } from './query-keys';

const change = (type: ChangeEvent['type'], keyPath: string | null): ChangeEvent => ({
  type,
  revision: '7',
  id: 'e-7',
  occurredAt: '2026-01-01T00:00:00Z',
  applicationId: 'app',
  namespaceId: 'ns-1',
  entryId: keyPath === null ? null : 'entry',
  keyPath,
  version: keyPath === null ? null : 3,
  actor: 'someone',
  requestId: null,
});

describe('staleAfterChange', () => {
  it("makes the changed key's entry and secret state stale, not the namespace", () => {
    expect(staleAfterChange(change('rotated', 'db/password'))).toEqual([entryKey('ns-1', 'db/password'), secretKey('ns-1', 'db/password')]);
  });

  it('makes the namespace and the list of namespaces stale when it was edited or deleted', () => {
    for (const type of ['namespace_updated', 'namespace_deleted'] as const)
      expect(staleAfterChange(change(type, null))).toEqual([namespaceKey('ns-1'), namespacesKey]);
  });

  it("files an entry's answers under its namespace's, which a deletion drops at once", () => {
    expect(entryKey('ns-1', 'a').slice(0, 2)).toEqual(['entries', 'ns-1']);
    expect(secretKey('ns-1', 'a').slice(0, 2)).toEqual(secretKey('ns-1'));
  });
});
