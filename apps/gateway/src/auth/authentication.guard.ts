import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
    // Answered from memory for a token verified lately; a valid token is never turned away, wherever it comes from.
    let token: string | undefined;
    try {
      token = bearerTokenOf(request.headers.authorization);
      const verified = await this.verifier.verify(token);
      request.principal = verified.principal;
      request.tokenExpiresAt = verified.expiresAt;
    } catch (error) {
      // A flooding address gets 429 instead, unaudited past the first (see RefusedCallLimiter).
      this.refusedCalls.turnAwayFlood(request, context.switchToHttp().getResponse<FastifyReply>());
      if (error instanceof KvException) throw error;
      const reason =
        error instanceof TokenRejectedError && token !== undefined && !error.message.includes(token) ? error.message : 'token rejected';
      throw new KvException(ErrorCode.UNAUTHENTICATED, `invalid token: ${reason}`);
    }
    return true;
  }
}
