import { accessibleApplications, canAccessApplication, grantedNamespaceScope, isGranted, isKnownGrant } from './grants';
import { ALL_PERMISSIONS, Permission } from './permission';
import { Principal } from './principal';

const NS_A = '3f0c2a5e-0000-4000-8000-00000000000a';
const NS_B = '3f0c2a5e-0000-4000-8000-00000000000b';

function principalWith(permissions: string[], applications: string[] = []): Principal {
  return { id: 'user-1', permissions, applications };
}

describe('isGranted', () => {
  it('an exact grant covers its permission in every namespace', () => {
    const principal = principalWith(['kv-entry:read']);
    expect(isGranted(principal, Permission.EntryRead)).toBe(true);
    expect(isGranted(principal, Permission.EntryRead, NS_A)).toBe(true);
  });

  it('an exact grant does not cover another action of the same resource', () => {
    expect(isGranted(principalWith(['kv-entry:read']), Permission.EntryWrite)).toBe(false);
  });

  it('a principal with no grants is granted nothing', () => {
    for (const permission of ALL_PERMISSIONS) expect(isGranted(principalWith([]), permission, NS_A)).toBe(false);
  });

  it("'*' grants everything", () => {
    for (const permission of ALL_PERMISSIONS) expect(isGranted(principalWith(['*']), permission, NS_A)).toBe(true);
  });

  it('kv-entry:* grants every kv-entry action', () => {
    const principal = principalWith(['kv-entry:*']);
    expect(isGranted(principal, Permission.EntryRead)).toBe(true);
    expect(isGranted(principal, Permission.EntryWrite)).toBe(true);
    expect(isGranted(principal, Permission.EntryDelete)).toBe(true);
  });

  it('kv-entry:* does not grant kv-namespace:read', () => {
    expect(isGranted(principalWith(['kv-entry:*']), Permission.NamespaceRead)).toBe(false);
  });

  it('kv-entry:read does not grant reading old secret versions', () => {
    expect(isGranted(principalWith(['kv-entry:read']), Permission.SecretVersions)).toBe(false);
  });

  it('a scoped grant covers its own namespace', () => {
    expect(isGranted(principalWith([`kv-entry:read@${NS_A}`]), Permission.EntryRead, NS_A)).toBe(true);
  });

  it('a scoped grant does not cover another namespace', () => {
    expect(isGranted(principalWith([`kv-entry:read@${NS_A}`]), Permission.EntryRead, NS_B)).toBe(false);
  });

  it('a scoped grant does not count when no namespace is given', () => {
    expect(isGranted(principalWith([`kv-entry:read@${NS_A}`]), Permission.EntryRead)).toBe(false);
  });

  it('a scoped wildcard is limited to its namespace', () => {
    const principal = principalWith([`*@${NS_A}`]);
    expect(isGranted(principal, Permission.EntryDelete, NS_A)).toBe(true);
    expect(isGranted(principal, Permission.EntryDelete, NS_B)).toBe(false);
    expect(isGranted(principal, Permission.AuditRead)).toBe(false);
  });

  it('a namespace scope is not matched by prefix', () => {
    const principal = principalWith([`kv-entry:read@${NS_A}`]);
    expect(isGranted(principal, Permission.EntryRead, NS_A.slice(0, 8))).toBe(false);
    expect(isGranted(principal, Permission.EntryRead, `${NS_A}-extra`)).toBe(false);
  });

  it('a namespace scope is case-sensitive', () => {
    expect(isGranted(principalWith(['kv-entry:read@abc']), Permission.EntryRead, 'ABC')).toBe(false);
  });

  it('an unknown permission grants nothing', () => {
    const principal = principalWith(['kv-entry:admin', 'kv-unknown:read', 'kv-unknown:*', 'admin']);
    for (const permission of ALL_PERMISSIONS) expect(isGranted(principal, permission, NS_A)).toBe(false);
  });

  it('grants are case-sensitive: KV-ENTRY:READ grants nothing', () => {
    expect(isGranted(principalWith(['KV-ENTRY:READ']), Permission.EntryRead)).toBe(false);
  });

  it.each([
    'kv-entry:read@',
    `kv-entry:read@${NS_A}@${NS_B}`,
    `@${NS_A}`,
    '',
    ' kv-entry:read',
    'kv-entry:read ',
    'kv-entry',
    'kv-entry:',
    ':read',
    ':*',
    '*:*',
    '*:read',
    'kv-entry:read:*',
    'kv-entry*',
    '**',
  ])("a malformed grant like '%s' grants nothing", (grant) => {
    for (const permission of ALL_PERMISSIONS) expect(isGranted(principalWith([grant]), permission, NS_A)).toBe(false);
  });

  it('a malformed grant beside a valid one does not block the valid one', () => {
    expect(isGranted(principalWith(['kv-entry:read@', 'kv-entry:read']), Permission.EntryRead)).toBe(true);
  });
});

describe('grantedNamespaceScope', () => {
  it('an unscoped grant gives every namespace', () => {
    expect(grantedNamespaceScope(principalWith([`kv-entry:read@${NS_A}`, 'kv-entry:*']), Permission.EntryRead)).toEqual({
      all: true,
    });
  });

  it('scoped grants give only their namespaces, each once', () => {
    const principal = principalWith([`kv-namespace:read@${NS_A}`, `kv-namespace:*@${NS_B}`, `*@${NS_A}`]);
    expect(grantedNamespaceScope(principal, Permission.NamespaceRead)).toEqual({ all: false, namespaceIds: [NS_A, NS_B] });
  });

  it('scoped grants for another permission are not listed', () => {
    const principal = principalWith([`kv-entry:read@${NS_A}`]);
    expect(grantedNamespaceScope(principal, Permission.NamespaceRead)).toEqual({ all: false, namespaceIds: [] });
  });

  it('no grants gives no namespaces', () => {
    expect(grantedNamespaceScope(principalWith([]), Permission.NamespaceRead)).toEqual({ all: false, namespaceIds: [] });
  });

  it('a malformed scoped grant lists nothing', () => {
    expect(grantedNamespaceScope(principalWith(['kv-namespace:read@']), Permission.NamespaceRead)).toEqual({
      all: false,
      namespaceIds: [],
    });
  });
});

describe('canAccessApplication', () => {
  it('can touch an application that is listed', () => {
    expect(canAccessApplication(principalWith([], ['app-1', 'app-2']), 'app-2')).toBe(true);
  });

  it('cannot touch an application not listed', () => {
    expect(canAccessApplication(principalWith([], ['app-1']), 'app-2')).toBe(false);
  });

  it('cannot touch any application with an empty list', () => {
    expect(canAccessApplication(principalWith([]), 'app-1')).toBe(false);
  });

  it("'*' gives every application", () => {
    expect(canAccessApplication(principalWith([], ['*']), 'app-9')).toBe(true);
  });

  it('application ids are not matched by prefix or case', () => {
    const principal = principalWith([], ['app-1']);
    expect(canAccessApplication(principal, 'app-10')).toBe(false);
    expect(canAccessApplication(principal, 'app')).toBe(false);
    expect(canAccessApplication(principal, 'APP-1')).toBe(false);
  });
});

describe('accessibleApplications', () => {
  it("'*' gives every application", () => {
    expect(accessibleApplications(principalWith([], ['app-1', '*']))).toEqual({ all: true });
  });

  it('otherwise gives exactly the listed applications, each once', () => {
    expect(accessibleApplications(principalWith([], ['app-1', 'app-2', 'app-1']))).toEqual({
      all: false,
      applicationIds: ['app-1', 'app-2'],
    });
  });

  it('an empty list gives no applications', () => {
    expect(accessibleApplications(principalWith([]))).toEqual({ all: false, applicationIds: [] });
  });
});

describe('isKnownGrant', () => {
  it.each(['*', 'kv-entry:*', 'kv-audit:read', 'kv-secret:versions', `kv-entry:read@${NS_A}`, `*@${NS_A}`])("accepts '%s'", (grant) =>
    expect(isKnownGrant(grant)).toBe(true),
  );

  it.each(['kv-entry:admin', 'kv-unknown:*', 'kv-entry:read@', 'read', '', 'Kv-entry:read'])("rejects '%s'", (grant) =>
    expect(isKnownGrant(grant)).toBe(false),
  );
});
