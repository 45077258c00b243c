import { Button, Center, Group, Loader, Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiErrorAlert } from '../api/api-error-alert';
import { SignInPage } from './sign-in-page';
import { useSessionState } from './session-provider';

/** The screens only for a checked token; the sign-in form otherwise. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { state, retryResume, signOut } = useSessionState();
  switch (state.status) {
    case 'checking':
      return (
        <Center h="100vh">
          <Loader aria-label="Checking your session" />
        </Center>
      );
    case 'resume-failed':
      return (
        <Center mih="100vh" p="md" component="main">
          <Paper withBorder shadow="sm" p="xl" w="100%" maw={440}>
            <Stack>
              <Title order={1} size="h2">
                Your session could not be checked
              </Title>
              <ApiErrorAlert error={state.error} />
              <Group>
                <Button onClick={retryResume}>Try again</Button>
                <Button variant="default" onClick={() => signOut()}>
                  Sign in with another token
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Center>
      );
    case 'signed-out':
      return <SignInPage notice={state.notice} />;
    case 'signed-in':
      return children;
  }
}
