import { ErrorCode } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { NamespaceRef, authorizeNamespace } from './namespace-authorization';

const NS_ID = '3f0c2a5e-0000-4000-8000-00000000000a';
const OTHER_ID = '3f0c2a5e-0000-4000-8000-00000000000b';

const actor = (permissions: string[], applications: string[] = ['billing']): Principal => ({ id: 'u', permissions, applications });
const namespace = (): NamespaceRef => ({ id: NS_ID, applicationId: 'billing' });

describe('authorizeNamespace', () => {
  it('returns the namespace when the actor holds every permission', () => {
    const ns = namespace();
    expect(
      authorizeNamespace(actor(['kv-namespace:read', 'kv-entry:read']), ns, NS_ID, [Permission.NamespaceRead, Permission.EntryRead]),
    ).toBe(ns);
  });

  it('answers NAMESPACE_NOT_FOUND for a missing namespace', () => {
    expect(() => authorizeNamespace(actor(['*']), null, NS_ID, [])).toThrow(
      expect.objectContaining({ code: ErrorCode.NAMESPACE_NOT_FOUND, message: `namespace ${NS_ID} not found` }),
    );
  });

  it('cannot see a namespace of another application: the same answer as a missing one', () => {
    expect(() => authorizeNamespace(actor(['*'], ['shipping']), namespace(), NS_ID, [Permission.EntryRead])).toThrow(
      expect.objectContaining({ code: ErrorCode.NAMESPACE_NOT_FOUND, message: `namespace ${NS_ID} not found` }),
    );
  });

  it('answers FORBIDDEN naming the missing permission', () => {
    expect(() => authorizeNamespace(actor(['kv-entry:read']), namespace(), NS_ID, [Permission.EntryWrite])).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-entry:write' }),
    );
  });

  it('needs every required permission, not just one', () => {
    expect(() =>
      authorizeNamespace(actor(['kv-entry:read']), namespace(), NS_ID, [Permission.NamespaceRead, Permission.EntryRead]),
    ).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:read' }));
  });

  it('counts a grant scoped to this namespace', () => {
    expect(() => authorizeNamespace(actor([`kv-entry:write@${NS_ID}`]), namespace(), NS_ID, [Permission.EntryWrite])).not.toThrow();
  });

  it('does not count a grant scoped to another namespace', () => {
    expect(() => authorizeNamespace(actor([`kv-entry:write@${OTHER_ID}`]), namespace(), NS_ID, [Permission.EntryWrite])).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
    );
  });

  it('accepts the all-applications wildcard', () => {
    expect(() => authorizeNamespace(actor(['*'], ['*']), namespace(), NS_ID, [Permission.EntryDelete])).not.toThrow();
  });
});
