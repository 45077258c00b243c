import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddressOf } from '../http/client-address';
import { RefusedCallLimiter } from '../throttle/refused-call-limiter';
import { IS_PUBLIC_KEY } from './auth.decorators';
import { TokenRejectedError, TokenVerifier } from './token-verifier';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or why there is none. */
export function bearerTokenOf(header: string | undefined): string {
  if (header === undefined || header === '') throw new KvException(ErrorCode.UNAUTHENTICATED, 'missing bearer token');
  const match = BEARER.exec(header);
  if (!match) throw new KvException(ErrorCode.UNAUTHENTICATED, 'malformed Authorization header; expected "Bearer <token>"');
  return match[1];
}

/** First global guard: every route except `@Public()` ones needs a valid bearer token. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly refusedCalls: RefusedCallLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    // A token verified lately goes through first: a caller that shares its address with a flood keeps working.
    const known = this.verifier.recentlyVerified(BEARER.exec(header ?? '')?.[1] ?? '');
    if (known !== undefined) {
      request.principal = known;
      return true;
    }
    this.turnAwayFloods(request, context.switchToHttp().getResponse<FastifyReply>());
    const token = bearerTokenOf(header);
    try {
      request.principal = await this.verifier.verify(token);
    } catch (error) {
      const reason = error instanceof TokenRejectedError && !error.message.includes(token) ? error.message : 'token rejected';
      throw new KvException(ErrorCode.UNAUTHENTICATED, `invalid token: ${reason}`);
    }
    return true;
  }

  /** 429 for an address that has made too many refused calls lately; only the first such answer is audited. */
  private turnAwayFloods(request: FastifyRequest, reply: FastifyReply): void {
    const turnedAway = this.refusedCalls.turnsAway(clientAddressOf(request));
    if (turnedAway === null) return;
    request.auditRecordSkipped = !turnedAway.first;
    void reply.header('retry-after', String(turnedAway.retryAfterSeconds));
    throw new KvException(ErrorCode.RATE_LIMITED, 'too many refused calls from this address; retry after the number of seconds in Retry-After');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on a call turned away as part of a flood: counted in metrics, but not audited one by one. */
    auditRecordSkipped?: boolean;
  }
}
