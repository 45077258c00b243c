import { ErrorCode, NamespaceDescriptor } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { authorizeSecretNamespace } from './secret-namespace-access';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';
const descriptor = (overrides: Partial<NamespaceDescriptor> = {}): NamespaceDescriptor => ({
  id: NS, applicationId: 'billing', isSecretNamespace: true, defaultTtlSeconds: null, maxSecretVersions: null, ...overrides,
});
const actor = (permissions: string[], applications = ['billing']): Principal => ({ id: 'u', permissions, applications });

describe('authorizeSecretNamespace', () => {
  it('returns the descriptor when the actor holds the permissions', () => {
    expect(authorizeSecretNamespace(actor(['kv-secret:rotate']), descriptor(), NS, [Permission.SecretRotate]).id).toBe(NS);
  });

  it('refuses a descriptor of another namespace', () => {
    expect(() => authorizeSecretNamespace(actor(['*']), descriptor({ id: '3f0c2a5e-0000-4000-8000-00000000000b' }), NS, [])).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
  });

  it('answers NAMESPACE_NOT_FOUND outside the actor\'s applications and FORBIDDEN without the permission', () => {
    expect(() => authorizeSecretNamespace(actor(['*'], ['shipping']), descriptor(), NS, [])).toThrow(
      expect.objectContaining({ code: ErrorCode.NAMESPACE_NOT_FOUND }),
    );
    expect(() => authorizeSecretNamespace(actor(['kv-entry:read']), descriptor(), NS, [Permission.SecretVersions])).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-secret:versions' }),
    );
  });

  it('answers NOT_A_SECRET_NAMESPACE for a plain namespace', () => {
    expect(() => authorizeSecretNamespace(actor(['*']), descriptor({ isSecretNamespace: false }), NS, [])).toThrow(
      expect.objectContaining({ code: ErrorCode.NOT_A_SECRET_NAMESPACE }),
    );
  });
});
