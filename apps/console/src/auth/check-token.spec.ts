import type { Whoami } from '@kv-service/client';
import { grantedNamespaces, mayDo } from './check-token';

const principal = (granted: Array<{ permission: string; allNamespaces: boolean; namespaceIds: string[] }>) =>
  ({ granted }) as unknown as Whoami;

describe('grantedNamespaces', () => {
  it('is null when a grant covers every namespace, else the namespaces of all its grants, once each', () => {
    expect(
      grantedNamespaces(principal([{ permission: 'kv-audit:read', allNamespaces: true, namespaceIds: [] }]), 'kv-audit:read'),
    ).toBeNull();
    const scoped = principal([
      { permission: 'kv-audit:read', allNamespaces: false, namespaceIds: ['a', 'b'] },
      { permission: 'kv-audit:read', allNamespaces: false, namespaceIds: ['b', 'c'] },
      { permission: 'kv-entry:read', allNamespaces: true, namespaceIds: [] },
    ]);
    expect(grantedNamespaces(scoped, 'kv-audit:read')).toEqual(['a', 'b', 'c']);
    expect(mayDo(scoped, 'kv-audit:read')).toBe(false);
    expect(grantedNamespaces(scoped, 'kv-secret:rotate')).toEqual([]);
  });
});
