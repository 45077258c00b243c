import { Button, Group, Stack, Title } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiErrorAlert } from '../api/api-error-alert';

/**
 * A screen that throws while rendering (a bug, or an answer not of the expected shape) shows what went wrong and a
 * way back instead of a blank page. React has error boundaries as class components only (and react-error-boundary is
 * not a dependency). Another address, or "Try again", renders the screens afresh.
 */
export function ScreenErrorBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <ErrorBoundary resetKey={pathname}>{children}</ErrorBoundary>;
}

interface Props {
  resetKey: string;
  children: ReactNode;
}

class ErrorBoundary extends Component<Props, { error: unknown; failedAt: string | null }> {
  override state = { error: null as unknown, failedAt: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  // Which address failed, so that leaving it (the link back, the browser's back) renders the screens again.
  static getDerivedStateFromProps(props: Props, state: { error: unknown; failedAt: string | null }) {
    if (state.failedAt !== null && state.failedAt !== props.resetKey) return { error: null, failedAt: null };
    return null;
  }

  override componentDidCatch(): void {
    this.setState({ failedAt: this.props.resetKey });
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <Stack p="md" maw={640}>
        <Title order={2}>This screen failed</Title>
        {/* Its message, and the code and request id of a gateway's error (KvApiError). */}
        <ApiErrorAlert error={error} />
        <Group>
          <Button onClick={() => this.setState({ error: null, failedAt: null })}>Try again</Button>
          <Button variant="default" component={Link} to="/namespaces">
            Back to namespaces
          </Button>
        </Group>
      </Stack>
    );
  }
}
