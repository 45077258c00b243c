import type { NamespaceInput } from '@kv-service/client';

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
