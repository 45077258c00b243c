import { Alert, Code, Text } from '@mantine/core';
import { KvApiError, KvTimeoutError } from '@kv-service/client';

/** A title for an API error, by what the person can do about it. */
export function errorTitleOf(error: unknown): string {
  if (error instanceof KvTimeoutError) return 'No answer from the gateway';
  if (!(error instanceof KvApiError)) return 'Something went wrong';
  switch (error.statusCode) {
    case 401:
      return 'Not signed in';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 409:
      return 'Conflict';
    case 429:
      return 'Too many requests';
    case 503:
      return 'Service unavailable';
    default:
      return error.statusCode >= 500 ? 'The gateway failed' : 'Request refused';
  }
}

/** Any error of a call, with the gateway's message and code (and request id, to find it in the logs). */
export function ApiErrorAlert({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={errorTitleOf(error)} role="alert">
      <Text size="sm">{message}</Text>
      {error instanceof KvApiError && (
        <Text size="xs" mt={4}>
          Code <Code>{error.code}</Code>
          {error.requestId && (
            <>
              {' '}
              · request <Code>{error.requestId}</Code>
            </>
          )}
        </Text>
      )}
    </Alert>
  );
}
