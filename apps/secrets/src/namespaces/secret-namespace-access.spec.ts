import { ErrorCode, NamespaceDescriptor } from '@app/contracts';
import { Permission, Principal } from '@app/permissions';
import { SecretCall, authorizeSecretNamespace } from './secret-namespace-access';
import { SAMPLE_NS as NS, aNamespaceDescriptor } from '../../../../test/support/samples';

const descriptor = (overrides: Partial<NamespaceDescriptor> = {}) => aNamespaceDescriptor({ isSecretNamespace: true, ...overrides });
const actor = (permissions: string[], applications = ['billing']): Principal => ({ id: 'u', permissions, applications });
/** A call naming namespace NS, routed by `namespace`. */
const call = (caller: Principal, namespace: NamespaceDescriptor): SecretCall => ({ actor: caller, namespace, namespaceId: NS });

describe('authorizeSecretNamespace', () => {
  it('returns the descriptor when the actor holds the permissions', () => {
    expect(authorizeSecretNamespace(call(actor(['kv-secret:rotate']), descriptor()), [Permission.SecretRotate]).id).toBe(NS);
  });

  it('refuses a descriptor of another namespace', () => {
    expect(() => authorizeSecretNamespace(call(actor(['*']), descriptor({ id: '3f0c2a5e-0000-4000-8000-00000000000b' })), [])).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
  });

  it("answers NAMESPACE_NOT_FOUND outside the actor's applications and FORBIDDEN without the permission", () => {
    expect(() => authorizeSecretNamespace(call(actor(['*'], ['shipping']), descriptor()), [])).toThrow(
      expect.objectContaining({ code: ErrorCode.NAMESPACE_NOT_FOUND }),
    );
    expect(() => authorizeSecretNamespace(call(actor(['kv-entry:read']), descriptor()), [Permission.SecretVersions])).toThrow(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-secret:versions' }),
    );
  });

  it('answers NOT_A_SECRET_NAMESPACE for a plain namespace', () => {
    expect(() => authorizeSecretNamespace(call(actor(['*']), descriptor({ isSecretNamespace: false })), [])).toThrow(
      expect.objectContaining({ code: ErrorCode.NOT_A_SECRET_NAMESPACE }),
    );
  });
});
