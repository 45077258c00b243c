import type { AuditVerifyResult } from '@kv-service/client';
import { Badge, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorAlert } from '../api/api-error-alert';
import { useSession } from '../auth/session-provider';
import { chainStateOf } from './audit-filters';

/** The hash chain's verification (`GET /audit/verify`), checked on opening the screen and again on asking. */
export function ChainState() {
  const { client } = useSession();
  const verify = useQuery<AuditVerifyResult>({ queryKey: ['audit-verify'], queryFn: () => client.verifyAudit() });
  const state = verify.data ? chainStateOf(verify.data) : null;

  return (
    <Stack gap={4} align="flex-end" role="status" aria-label="Chain verification">
      <Group gap="xs">
        {verify.isPending ? (
          <>
            <Loader size="xs" aria-hidden />
            <Text size="sm">Verifying the chain…</Text>
          </>
        ) : state ? (
          <Badge size="lg" variant="light" color={state.intact ? 'green' : 'red'}>
            {state.label}
          </Badge>
        ) : null}
        <Button size="xs" variant="default" onClick={() => void verify.refetch()} loading={verify.isFetching && !verify.isPending}>
          Verify again
        </Button>
      </Group>
      {state?.detail && <Text size="xs">{state.detail}</Text>}
      {verify.isError && <ApiErrorAlert error={verify.error} />}
    </Stack>
  );
}
