import { describe, expect, it } from '@jest/globals';
import type { Namespace } from '@kv-service/client';
import { namespaceFormOf, namespaceInputOf } from './namespace-form';

const namespace = (fields: Partial<Namespace>): Namespace => ({
  id: '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60',
  name: 'payments',
  description: null,
  applicationId: 'billing',
  isSecretNamespace: false,
  defaultTtlSeconds: null,
  maxSecretVersions: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('the edit form of a namespace', () => {
  it('starts from its values, unset ones as empty fields', () => {
    expect(namespaceFormOf(namespace({}))).toEqual({
      applicationId: 'billing',
      name: 'payments',
      kind: 'plain',
      description: '',
      defaultTtlSeconds: '',
      maxSecretVersions: '',
    });
  });

  it('sends back what it was opened with when nothing is edited (the update replaces every field)', () => {
    const secret = namespace({ isSecretNamespace: true, description: 'Keys', defaultTtlSeconds: 60, maxSecretVersions: 5 });
    expect(namespaceInputOf(namespaceFormOf(secret))).toEqual({
      applicationId: 'billing',
      name: 'payments',
      isSecretNamespace: true,
      description: 'Keys',
      defaultTtlSeconds: 60,
      maxSecretVersions: 5,
    });
    expect(namespaceInputOf(namespaceFormOf(namespace({})))).toEqual({
      applicationId: 'billing',
      name: 'payments',
      isSecretNamespace: false,
      description: undefined,
      defaultTtlSeconds: undefined,
      maxSecretVersions: undefined,
    });
  });
});
