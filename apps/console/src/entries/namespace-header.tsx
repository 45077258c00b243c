import type { Namespace } from '@kv-service/client';
import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A namespace's name and what holds for each of its entries: its application, kind, default TTL and version cap. */
export function NamespaceHeader({ namespace, children }: { namespace: Namespace; children?: ReactNode }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Title order={2}>{namespace.name}</Title>
          <Badge variant="light" color={namespace.isSecretNamespace ? 'grape' : 'gray'}>
            {namespace.isSecretNamespace ? 'Secret' : 'Plain'}
          </Badge>
        </Group>
        <Group gap="xs">{children}</Group>
      </Group>
      <Text size="sm" c="dimmed">
        Application <strong>{namespace.applicationId}</strong> · default TTL{' '}
        {namespace.defaultTtlSeconds === null ? 'none' : `${namespace.defaultTtlSeconds} s`}
        {namespace.isSecretNamespace && ` · version cap ${namespace.maxSecretVersions ?? 'none'}`}
      </Text>
      {namespace.description && <Text size="sm">{namespace.description}</Text>}
    </Stack>
  );
}
