import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSessionState } from './session-provider';

export function SignInPage({ notice }: { notice?: string }) {
  const { signIn } = useSessionState();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { token: '' },
    validate: { token: (value) => (value.trim() ? null : 'Paste an access token') },
  });

  const submit = form.onSubmit(async ({ token }) => {
    setError(null);
    try {
      await signIn(token.trim());
    } catch (failure) {
      setError(failure);
    }
  });

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={440}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              KV Service console
            </Title>
            <Text c="dimmed" size="sm">
              Sign in with an access token (a JWT). It is kept in this tab only and forgotten when you sign out.
            </Text>
            {notice && (
              <Alert color="yellow" title="Signed out" role="status">
                {notice}
              </Alert>
            )}
            {error !== null && <ApiErrorAlert error={error} />}
            <PasswordInput label="Access token" autoComplete="off" spellCheck={false} {...form.getInputProps('token')} />
            <Button type="submit" loading={form.submitting}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
