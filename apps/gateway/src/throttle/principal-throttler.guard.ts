import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { clientAddressOf } from '../http/client-address';

/** Whom a request counts against: its principal once authenticated, else its address. */
export function throttleTrackerOf(request: Pick<FastifyRequest, 'principal' | 'ip' | 'socket'>): string {
  return request.principal ? `principal:${request.principal.id}` : `ip:${clientAddressOf(request)}`;
}

/**
 * Rate limit per principal. It runs after the authentication guard, so a token's subject is known;
 * public routes (health) count against the caller's address.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(throttleTrackerOf(request as unknown as FastifyRequest));
  }
}
