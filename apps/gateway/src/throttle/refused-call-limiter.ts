import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorCode, KvException } from '@app/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { GatewayEnv } from '../config/gateway.env';
import { clientAddressOf } from '../http/client-address';
import { addressBucketOf } from './address-bucket';

/** Client addresses tracked at once: a bound on memory however many addresses a flood comes from. */
const MAX_TRACKED_ADDRESSES = 100_000;

interface Window {
  refusals: number;
  resetsAt: number;
  /** Whether a call was already turned away in this window (the first one is audited, the rest counted). */
  turnedAway: boolean;
}

export interface TurnedAway {
  retryAfterSeconds: number;
  /** The first call turned away from this address in this window. */
  first: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A public route that is never turned away by this limit (the web console's static files). */
    outsideRefusedCallLimit?: boolean;
  }
  interface FastifyRequest {
    /** Set on a call turned away as part of a flood: answered 429, but not audited one by one. */
    auditRecordSkipped?: boolean;
  }
}

/**
 * Refused calls per client address (an IPv6 /64) in fixed windows: 401, 403 and anything refused before a principal, which
 * the per-principal limiter cannot see. Past the limit only calls without a valid token get 429 (before the body is read if
 * there is no token), so callers sharing an address with a flood keep working; one 429 a window is audited, so a flood
 * cannot fill the trail.
 */
@Injectable()
export class RefusedCallLimiter implements OnModuleInit {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows = new LRUCache<string, Window>({ max: MAX_TRACKED_ADDRESSES });

  constructor(
    config: ConfigService<GatewayEnv, true>,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.limit = config.get('KV_REFUSED_RATE_LIMIT_REQUESTS', { infer: true });
    this.windowMs = config.get('KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  /** Before the body is read: a call without a token from a flooding address goes no further. */
  onModuleInit(): void {
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().addHook('onRequest', (request, reply, done) => {
      if (request.headers.authorization !== undefined || request.routeOptions.config.outsideRefusedCallLimit) return done();
      try {
        this.turnAwayFlood(request, reply);
        done();
      } catch (error) {
        done(error as Error);
      }
    });
  }

  /** Counts a refused call of the request's address. */
  recordRefusal(request: FastifyRequest): void {
    const bucket = addressBucketOf(clientAddressOf(request));
    const window = this.currentWindow(bucket, Date.now());
    window.refusals += 1;
    this.windows.set(bucket, window);
  }

  /** Throws 429 RATE_LIMITED (with Retry-After) when the request's address is over its limit. */
  turnAwayFlood(request: FastifyRequest, reply: FastifyReply): void {
    const turnedAway = this.turnsAway(addressBucketOf(clientAddressOf(request)));
    if (turnedAway === null) return;
    request.auditRecordSkipped = !turnedAway.first;
    void reply.header('retry-after', String(turnedAway.retryAfterSeconds));
    throw new KvException(
      ErrorCode.RATE_LIMITED,
      'too many refused calls from this address; retry after the number of seconds in Retry-After',
    );
  }

  /** Whether a call from `bucket` is turned away, and for how long; `null` lets it through. */
  turnsAway(bucket: string): TurnedAway | null {
    const now = Date.now();
    const window = this.windows.get(bucket);
    if (window === undefined || now >= window.resetsAt || window.refusals < this.limit) return null;
    const first = !window.turnedAway;
    window.turnedAway = true;
    return { retryAfterSeconds: Math.max(1, Math.ceil((window.resetsAt - now) / 1000)), first };
  }

  private currentWindow(bucket: string, now: number): Window {
    const window = this.windows.get(bucket);
    return window !== undefined && now < window.resetsAt ? window : { refusals: 0, resetsAt: now + this.windowMs, turnedAway: false };
  }
}
