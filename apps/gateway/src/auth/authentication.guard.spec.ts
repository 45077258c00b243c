import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import { Principal } from '@app/permissions';
import { Public } from './auth.decorators';
import { AuthenticationGuard, bearerTokenOf } from './authentication.guard';
import { RefusedCallLimiter } from '../throttle/refused-call-limiter';
import { TokenRejectedError, TokenVerifier } from './token-verifier';
import { anAdmin } from '../../../../test/support/principals';

describe('bearerTokenOf', () => {
  it('takes the token of a Bearer header, in any case', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer  abc.def-_ghi ')).toBe('abc.def-_ghi');
  });

  it.each([undefined, '', 'Basic dXNlcjpwdw==', 'Bearer', 'Bearer a b', 'Bearer a,b'])('refuses %p with UNAUTHENTICATED', (header) => {
    expect(() => bearerTokenOf(header)).toThrow(KvException);
  });
});

class Handlers {
  secured() {}
  @Public() open() {}
}

const TOKEN_EXPIRES_AT = 2_000_000_000_000;

describe('AuthenticationGuard', () => {
  const alice = anAdmin({ id: 'alice' });
  const context = (handler: keyof Handlers, request: Record<string, unknown>) =>
    ({
      getHandler: () => Handlers.prototype[handler],
      getClass: () => Handlers,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
    }) as unknown as ExecutionContext;
  const reply = {};
  const openLimiter = { turnAwayFlood: () => undefined } as unknown as RefusedCallLimiter;
  const guardWith = (verifyPrincipal: (token: string) => Promise<Principal>, limiter = openLimiter) =>
    new AuthenticationGuard(
      new Reflector(),
      {
        verify: async (token: string) => ({ principal: await verifyPrincipal(token), expiresAt: TOKEN_EXPIRES_AT }),
      } as unknown as TokenVerifier,
      limiter,
    );

  it('lets a valid token through from a flooding address, and answers a refused one from there as the limiter says', async () => {
    const flooded = {
      turnAwayFlood: jest.fn(() => {
        throw new KvException(ErrorCode.RATE_LIMITED, 'too many refused calls');
      }),
    } as unknown as RefusedCallLimiter & { turnAwayFlood: jest.Mock };
    const known: Record<string, unknown> = { ip: '10.0.0.9', headers: { authorization: 'Bearer good' } };
    await expect(guardWith(async () => alice, flooded).canActivate(context('secured', known))).resolves.toBe(true);
    expect(flooded.turnAwayFlood).not.toHaveBeenCalled();

    const rejecting = guardWith(async () => {
      throw new TokenRejectedError('bad signature');
    }, flooded);
    const refused = { ip: '10.0.0.9', headers: { authorization: 'Bearer forged' } };
    await expect(rejecting.canActivate(context('secured', refused))).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    await expect(
      guardWith(async () => alice, flooded).canActivate(context('secured', { ip: '10.0.0.9', headers: {} })),
    ).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
    expect(flooded.turnAwayFlood).toHaveBeenCalledTimes(2);
  });

  it('puts the verified principal on the request', async () => {
    const request: Record<string, unknown> = { headers: { authorization: 'Bearer good' } };
    await expect(guardWith(async () => alice).canActivate(context('secured', request))).resolves.toBe(true);
    expect(request.principal).toEqual(alice);
    expect(request.tokenExpiresAt).toBe(TOKEN_EXPIRES_AT);
  });

  it('answers a rejected token with its short reason', async () => {
    const guard = guardWith(async () => {
      throw new TokenRejectedError('token expired');
    });
    await expect(guard.canActivate(context('secured', { headers: { authorization: 'Bearer old' } }))).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
      message: 'invalid token: token expired',
    });
  });

  it('never echoes the token, even if a reason would', async () => {
    const guard = guardWith(async (token) => {
      throw new TokenRejectedError(`bad ${token}`);
    });
    const error = await guard
      .canActivate(context('secured', { headers: { authorization: 'Bearer s3cr3t' } }))
      .catch((caught: unknown) => caught);
    expect((error as KvException).message).not.toContain('s3cr3t');
  });

  it('lets a public route through without a token', async () => {
    const verify = jest.fn();
    await expect(guardWith(verify).canActivate(context('open', { headers: {} }))).resolves.toBe(true);
    expect(verify).not.toHaveBeenCalled();
  });
});
