import type { Namespace, NamespaceInput } from '@kv-service/client';

/** The create form's fields as typed; empty number fields are `''` (Mantine's NumberInput). */
export interface NamespaceFormValues {
  applicationId: string;
  name: string;
  kind: 'plain' | 'secret';
  description: string;
  defaultTtlSeconds: number | string;
  maxSecretVersions: number | string;
}

export const EMPTY_NAMESPACE_FORM: NamespaceFormValues = {
  applicationId: '',
  name: '',
  kind: 'plain',
  description: '',
  defaultTtlSeconds: '',
  maxSecretVersions: '',
};

/** The API's body: empty optional fields left out, the version cap only for a secret namespace. */
export function namespaceInputOf(values: NamespaceFormValues): NamespaceInput {
  const secret = values.kind === 'secret';
  return {
    applicationId: values.applicationId.trim(),
    name: values.name.trim(),
    isSecretNamespace: secret,
    description: values.description.trim() || undefined,
    defaultTtlSeconds: typeof values.defaultTtlSeconds === 'number' ? values.defaultTtlSeconds : undefined,
    maxSecretVersions: secret && typeof values.maxSecretVersions === 'number' ? values.maxSecretVersions : undefined,
  };
}

/** An existing namespace's fields, for its edit form (unset numbers as empty fields). */
export function namespaceFormOf(namespace: Namespace): NamespaceFormValues {
  return {
    applicationId: namespace.applicationId,
    name: namespace.name,
    kind: namespace.isSecretNamespace ? 'secret' : 'plain',
    description: namespace.description ?? '',
    defaultTtlSeconds: namespace.defaultTtlSeconds ?? '',
    maxSecretVersions: namespace.maxSecretVersions ?? '',
  };
}
