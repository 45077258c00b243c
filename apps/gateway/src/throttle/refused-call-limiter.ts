import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import type { GatewayEnv } from '../config/gateway.env';

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

/**
 * Refused calls (401, 403) per client address, in fixed windows. The per-principal limiter cannot see
 * them: a call without a valid token has no principal, and is refused before that limiter runs. Past the
 * limit, a call from the address is turned away (429) before its token is verified, audited or sent on,
 * so a flood of bad tokens costs a map lookup each.
 */
@Injectable()
export class RefusedCallLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows = new LRUCache<string, Window>({ max: MAX_TRACKED_ADDRESSES });

  constructor(config: ConfigService<GatewayEnv, true>) {
    this.limit = config.get('KV_REFUSED_RATE_LIMIT_REQUESTS', { infer: true });
    this.windowMs = config.get('KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  /** Counts a refused call of `address`. */
  recordRefusal(address: string): void {
    const window = this.currentWindow(address, Date.now());
    window.refusals += 1;
    this.windows.set(address, window);
  }

  /** Whether a call from `address` is turned away, and for how long; `null` lets it through. */
  turnsAway(address: string): TurnedAway | null {
    const now = Date.now();
    const window = this.windows.get(address);
    if (window === undefined || now >= window.resetsAt || window.refusals < this.limit) return null;
    const first = !window.turnedAway;
    window.turnedAway = true;
    return { retryAfterSeconds: Math.max(1, Math.ceil((window.resetsAt - now) / 1000)), first };
  }

  private currentWindow(address: string, now: number): Window {
    const window = this.windows.get(address);
    return window !== undefined && now < window.resetsAt ? window : { refusals: 0, resetsAt: now + this.windowMs, turnedAway: false };
  }
}
