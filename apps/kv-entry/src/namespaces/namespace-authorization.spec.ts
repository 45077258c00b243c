import { ErrorCode } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { assertPlainNamespace, authorizeNamespaceCreate, namespaceListScope } from './namespace-authorization';
import { NamespaceEntity } from './namespace.entity';

const NS_ID = '3f0c2a5e-0000-4000-8000-00000000000a';

const actor = (permissions: string[], applications: string[] = ['billing']): Principal => ({ id: 'u', permissions, applications });

const namespace = (overrides: Partial<NamespaceEntity> = {}): NamespaceEntity =>
  Object.assign(new NamespaceEntity(), {
    id: NS_ID,
    applicationId: 'billing',
    name: 'config',
    description: null,
    isSecret: false,
    defaultTtlSeconds: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  });

describe('authorizeNamespaceCreate', () => {
  it('allows an actor with kv-namespace:write in an accessible application', () => {
    expect(() => authorizeNamespaceCreate(actor(['kv-namespace:write']), 'billing')).not.toThrow();
  });

  it('forbids without kv-namespace:write', () => {
    expect(() => authorizeNamespaceCreate(actor(['kv-namespace:read']), 'billing')).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:write' }),
    );
  });

  it('does not count a namespace-scoped write grant for a new namespace', () => {
    expect(() => authorizeNamespaceCreate(actor([`kv-namespace:write@${NS_ID}`]), 'billing')).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
    );
  });

  it('cannot create a namespace in an application it cannot access', () => {
    expect(() => authorizeNamespaceCreate(actor(['*'], ['shipping']), 'billing')).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN }),
    );
  });
});

describe('assertPlainNamespace', () => {
  it('accepts a plain namespace', () => expect(() => assertPlainNamespace(namespace())).not.toThrow());
  it('refuses a secret namespace', () => {
    expect(() => assertPlainNamespace(namespace({ isSecret: true }))).toThrow(
      expect.objectContaining({ code: ErrorCode.SECRET_NAMESPACE_UNSUPPORTED }),
    );
  });
});

describe('namespaceListScope', () => {
  it('is unrestricted for an actor with everything', () => {
    expect(namespaceListScope(actor(['*'], ['*']))).toEqual({ applicationIds: null, namespaceIds: null });
  });

  it('limits to the accessible applications', () => {
    expect(namespaceListScope(actor(['kv-namespace:read'], ['billing', 'shipping']))).toEqual({
      applicationIds: ['billing', 'shipping'],
      namespaceIds: null,
    });
  });

  it('narrows to the asked application when accessible', () => {
    expect(namespaceListScope(actor(['kv-namespace:read'], ['*']), 'billing')).toEqual({ applicationIds: ['billing'], namespaceIds: null });
  });

  it('is empty for an asked application that is not accessible', () => {
    expect(namespaceListScope(actor(['kv-namespace:read'], ['shipping']), 'billing')).toBeNull();
  });

  it('is empty without any accessible application', () => expect(namespaceListScope(actor(['kv-namespace:read'], []))).toBeNull());

  it('limits to scoped namespaces when read is not granted everywhere', () => {
    expect(namespaceListScope(actor([`kv-namespace:read@${NS_ID}`, 'kv-entry:read']))).toEqual({
      applicationIds: ['billing'],
      namespaceIds: [NS_ID],
    });
  });

  it('ignores scoped ids that can never match a namespace id', () => {
    expect(namespaceListScope(actor([`kv-namespace:read@${NS_ID.toUpperCase()}`, 'kv-namespace:read@nope']))).toBeNull();
  });

  it('forbids without any kv-namespace:read', () => {
    expect(() => namespaceListScope(actor(['kv-entry:read']))).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-namespace:read' }),
    );
  });
});
