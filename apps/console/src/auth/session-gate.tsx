import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { SignInPage } from './sign-in-page';
import { useSessionState } from './session-provider';

/** The screens only for a checked token; the sign-in form otherwise. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { state } = useSessionState();
  switch (state.status) {
    case 'checking':
      return (
        <Center h="100vh">
          <Loader aria-label="Checking your session" />
        </Center>
      );
    case 'signed-out':
      return <SignInPage notice={state.notice} />;
    case 'signed-in':
      return children;
  }
}
