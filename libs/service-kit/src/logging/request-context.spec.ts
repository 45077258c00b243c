import { ExecutionContext } from '@nestjs/common';
import { firstValueFrom, from } from 'rxjs';
import { RequestContextInterceptor, currentRequestId } from './request-context';

const rpcContext = (data: unknown) =>
  ({ getType: () => 'rpc', switchToRpc: () => ({ getData: () => data }) }) as unknown as ExecutionContext;

describe('RequestContextInterceptor', () => {
  it("makes the message's request id current for the handler and what it awaits", async () => {
    const seen = await firstValueFrom(
      new RequestContextInterceptor().intercept(rpcContext({ requestId: 'req-42' }), {
        handle: () => from((async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return currentRequestId();
        })()),
      }),
    );
    expect(seen).toBe('req-42');
    expect(currentRequestId()).toBeUndefined();
  });
});
